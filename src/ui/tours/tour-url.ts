// A tour runs in its own page: `?mode=simulate&size=5&cluster=tour1-<stamp>&tour=1&step=1`. No
// server starts at boot (the tour starts them); `step=k` replays steps 2..k on arrival (Back), and
// `wipe=<cluster>` names the previous run, whose databases the new page deletes. Every run gets a
// fresh cluster name, so its servers' databases (`zootabs-<cluster>-sim-<myid>`) start empty.
import { CLUSTER_NAME_PATTERN, databaseName } from '../../worker/protocol';
import { quorumSpec } from '../cluster-model';
import { SIMULATION_SUFFIX } from '../cluster-controller';
import { DEFAULT_TICK_TIME_MS, type TabParams } from '../url-params';
import type { TourId } from './tour-model';
import { tourById } from './tours';

/** Tours default to a short tick (syncLimit = 5 ticks = 2.5 s) so a step takes seconds, not tens. */
export const TOUR_TICK_TIME_MS = 500;

export interface TourParams {
  tour: TourId;
  /** 1-based step to reach on arrival (steps 2..step are replayed). */
  step: number;
  /** The previous run's cluster, whose databases are deleted. */
  wipeCluster: string | null;
}

export function parseTourParams(search: string, tab: TabParams): { tour: TourParams | null; warnings: string[] } {
  const query = new URLSearchParams(search);
  const text = query.get('tour');
  if (text === null) return { tour: null, warnings: [] };
  if (text !== '1' && text !== '2') return { tour: null, warnings: [`tour "${text}" is not 1 or 2; no tour`] };
  const id: TourId = text === '1' ? 1 : 2;
  const tour = tourById(id);
  if (tab.mode !== 'simulate' || tab.size !== tour.size) {
    return { tour: null, warnings: [`tour ${id} needs mode=simulate and size=${tour.size}; no tour`] };
  }
  const warnings: string[] = [];
  let step = 1;
  const stepText = query.get('step');
  if (stepText !== null) {
    const parsed = Number(stepText);
    if (Number.isInteger(parsed) && parsed >= 1 && parsed <= tour.steps.length) step = parsed;
    else warnings.push(`step "${stepText}" must be an integer from 1 to ${tour.steps.length}; starting at step 1`);
  }
  const wipe = query.get('wipe');
  let wipeCluster: string | null = null;
  if (wipe !== null) {
    if (CLUSTER_NAME_PATTERN.test(wipe) && wipe.startsWith('tour')) wipeCluster = wipe;
    else warnings.push(`wipe "${wipe}" is not a tour cluster name; nothing deleted`);
  }
  return { tour: { tour: id, step, wipeCluster }, warnings };
}

/** A fresh cluster name for one run of a tour (`stamp`: anything unique, e.g. time in base 36). */
export function tourClusterName(tour: TourId, stamp: string): string {
  const name = `tour${tour}-${stamp.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 40);
  if (!CLUSTER_NAME_PATTERN.test(name)) throw new Error(`bad tour cluster name ${name}`);
  return name;
}

export interface TourUrlOptions {
  tour: TourId;
  step: number;
  cluster: string;
  tickTimeMs: number;
  wipeCluster?: string | null;
}

export function tourUrl(options: TourUrlOptions): string {
  const query = new URLSearchParams({
    cluster: options.cluster,
    size: String(tourById(options.tour).size),
    mode: 'simulate',
    tickTime: String(options.tickTimeMs),
    tour: String(options.tour),
    step: String(options.step),
  });
  if (options.wipeCluster != null) query.set('wipe', options.wipeCluster);
  return `?${query.toString()}`;
}

/** The tick a tour started from this page uses: the page's own unless it is the slow default. */
export function tourTickTimeMs(tab: TabParams): number {
  return tab.tickTimeMs === DEFAULT_TICK_TIME_MS ? TOUR_TICK_TIME_MS : tab.tickTimeMs;
}

/** The IndexedDB databases of a simulated cluster's servers (voters and observer slots). */
export function simulatedDatabaseNames(cluster: string, size: number): string[] {
  const spec = quorumSpec(size);
  return [...spec.voters, ...spec.observers].map((myid) => databaseName({ cluster: cluster + SIMULATION_SUFFIX, myid }));
}
