// WatchedEvent.toString() as zkCli prints it after "WATCHER::".
//   3.8: "WatchedEvent state:SyncConnected type:NodeDataChanged path:/a"
//   3.9: the same + " zxid: 5" (decimal; -1 when the event carries none).
import type { WatchedEvent } from '../api';
import { EventType, KeeperState } from '../../zk/types';

export type EventFormat = '3.8' | '3.9';

export function formatWatchedEvent(event: WatchedEvent, format: EventFormat): string {
  const state = KeeperState[event.state] ?? String(event.state);
  const type = EventType[event.type] ?? String(event.type);
  const base = `WatchedEvent state:${state} type:${type} path:${event.path ?? 'null'}`;
  return format === '3.9' ? `${base} zxid: ${event.zxid}` : base;
}
