import { describe, expect, it } from 'vitest';
import { parseTabParams } from '../url-params';
import { parseTourParams, simulatedDatabaseNames, tourClusterName, tourTickTimeMs, tourUrl, TOUR_TICK_TIME_MS } from './tour-url';

const parse = (search: string) => parseTourParams(search, parseTabParams(search));

describe('tour URLs', () => {
  it('round-trip: the built URL parses back to the tour, step and wiped cluster, in simulate mode with 5 servers', () => {
    const url = tourUrl({ tour: 2, step: 4, cluster: 'tour2-abc', tickTimeMs: 200, wipeCluster: 'tour2-old' });
    const tab = parseTabParams(url);
    expect(tab).toMatchObject({ mode: 'simulate', size: 5, tickTimeMs: 200, identity: { cluster: 'tour2-abc' } });
    expect(parseTourParams(url, tab)).toEqual({ tour: { tour: 2, step: 4, wipeCluster: 'tour2-old' }, warnings: [] });
  });

  it('no tour without the parameter; a clear warning for a bad tour, mode, size, step or wipe', () => {
    expect(parse('?mode=simulate&size=5')).toEqual({ tour: null, warnings: [] });
    expect(parse('?mode=simulate&size=5&tour=3').warnings[0]).toMatch(/not 1 or 2/);
    expect(parse('?mode=simulate&size=3&tour=1').warnings[0]).toMatch(/size=5/);
    expect(parse('?size=5&tour=1').tour).toBeNull();
    const badStep = parse('?mode=simulate&size=5&tour=1&step=9');
    expect(badStep.tour?.step).toBe(1);
    expect(badStep.warnings[0]).toMatch(/step "9"/);
    const badWipe = parse('?mode=simulate&size=5&tour=1&wipe=demo');
    expect(badWipe.tour?.wipeCluster).toBeNull();
    expect(badWipe.warnings[0]).toMatch(/not a tour cluster/);
  });

  it('names a fresh cluster per run, valid as a cluster name', () => {
    expect(tourClusterName(1, 'lq2x9z')).toBe('tour1-lq2x9z');
    expect(tourClusterName(2, 'a.b/c')).toBe('tour2-abc');
    expect(tourClusterName(1, 'x'.repeat(60))).toHaveLength(40);
  });

  it('lists the simulated servers\' databases, zootabs-<cluster>-sim-<myid>, observers included', () => {
    const names = simulatedDatabaseNames('tour1-x', 5);
    expect(names.slice(0, 5)).toEqual([1, 2, 3, 4, 5].map((id) => `zootabs-tour1-x-sim-${id}`));
    expect(names).toContain('zootabs-tour1-x-sim-8');
  });

  it('uses a short tick unless the page chose its own', () => {
    expect(tourTickTimeMs(parseTabParams(''))).toBe(TOUR_TICK_TIME_MS);
    expect(tourTickTimeMs(parseTabParams('?tickTime=200'))).toBe(200);
  });
});
