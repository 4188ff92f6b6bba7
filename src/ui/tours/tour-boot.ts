// Starts a tour run in a page opened with `?tour=N` (see tour-url.ts): the runner drives this
// page's ClusterController and client session; Back and Replay open a fresh run (new cluster
// name) that deletes this run's databases on arrival.
import type { ZooKeeperApi } from '../../client/api';
import type { ClusterController } from '../cluster-controller';
import { reportError, type AppStore } from '../store';
import type { TabParams } from '../url-params';
import { TourRunner } from './tour-runner';
import { parseTourParams, simulatedDatabaseNames, tourClusterName, tourUrl } from './tour-url';
import { tourById } from './tours';
import { deleteDatabases } from './wipe-databases';

/** True when the URL asks for a tour this page can run: then no server starts at boot. */
export function isTourPage(search: string, params: TabParams): boolean {
  return parseTourParams(search, params).tour !== null;
}

export function startTourFromUrl(
  search: string,
  params: TabParams,
  store: AppStore,
  controller: ClusterController | null,
  client: () => ZooKeeperApi | null,
): TourRunner | null {
  const { tour: tourParams, warnings } = parseTourParams(search, params);
  for (const warning of warnings) reportError(store, warning);
  if (tourParams === null || controller === null) return null;
  const tour = tourById(tourParams.tour);
  const cluster = params.identity.cluster;
  const runner = new TourRunner(tour, {
    store,
    cluster: controller,
    client,
    navigate: (step) => {
      const fresh = tourClusterName(tour.id, Date.now().toString(36));
      window.location.assign(tourUrl({ tour: tour.id, step, cluster: fresh, tickTimeMs: params.tickTimeMs, wipeCluster: cluster }));
    },
    prepare: async () => {
      // This run's own databases too: a reused URL must not start from an old run's data.
      const names = simulatedDatabaseNames(cluster, tour.size);
      if (tourParams.wipeCluster !== null && tourParams.wipeCluster !== cluster) names.push(...simulatedDatabaseNames(tourParams.wipeCluster, tour.size));
      for (const warning of await deleteDatabases(names, indexedDB)) reportError(store, warning);
    },
  });
  void runner.begin(tourParams.step);
  return runner;
}
