// The SetWatches/SetWatches2 packets re-registering every client watch after a reconnect
// (ClientCnxn.primeConnection), split into batches so no packet grows past the server's limit.
import { OpCode } from '../jute/opcodes';
import type { SetWatches, SetWatches2 } from '../jute/session-records';
import type { WatchManager } from './watch-manager';

/** ZOOKEEPER-706: total path characters per packet (the last path may overshoot a bit). */
export const SET_WATCHES_MAX_LENGTH = 128 * 1024;

export type SetWatchesRequest =
  | ({ op: OpCode.setWatches } & SetWatches)
  | ({ op: OpCode.setWatches2 } & SetWatches2);

type ListName = 'dataWatches' | 'existWatches' | 'childWatches' | 'persistentWatches' | 'persistentRecursiveWatches';

export function setWatchesRequests(
  watches: WatchManager,
  relativeZxid: bigint,
  maxLength = SET_WATCHES_MAX_LENGTH,
): SetWatchesRequest[] {
  const sources: Array<[ListName, string[]]> = [
    ['dataWatches', watches.paths('data')],
    ['existWatches', watches.paths('exist')],
    ['childWatches', watches.paths('child')],
    ['persistentWatches', watches.paths('persistent')],
    ['persistentRecursiveWatches', watches.paths('persistentRecursive')],
  ];
  const requests: SetWatchesRequest[] = [];
  let source = 0;
  let index = 0;
  while (source < sources.length) {
    const batch: Record<ListName, string[]> = {
      dataWatches: [],
      existWatches: [],
      childWatches: [],
      persistentWatches: [],
      persistentRecursiveWatches: [],
    };
    let length = 0;
    while (length < maxLength && source < sources.length) {
      const [name, paths] = sources[source] as [ListName, string[]];
      const path = paths[index];
      if (path === undefined) {
        source++;
        index = 0;
        continue;
      }
      batch[name].push(path);
      index++;
      length += path.length;
    }
    if (length > 0 || hasAny(batch)) requests.push(toRequest(batch, relativeZxid));
  }
  return requests;
}

function hasAny(batch: Record<ListName, string[]>): boolean {
  return Object.values(batch).some((list) => list.length > 0);
}

// Old servers know only SetWatches: use SetWatches2 just when persistent watches need it.
function toRequest(batch: Record<ListName, string[]>, relativeZxid: bigint): SetWatchesRequest {
  const base = {
    relativeZxid,
    dataWatches: batch.dataWatches,
    existWatches: batch.existWatches,
    childWatches: batch.childWatches,
  };
  if (batch.persistentWatches.length === 0 && batch.persistentRecursiveWatches.length === 0) {
    return { op: OpCode.setWatches, ...base };
  }
  return {
    op: OpCode.setWatches2,
    ...base,
    persistentWatches: batch.persistentWatches,
    persistentRecursiveWatches: batch.persistentRecursiveWatches,
  };
}
