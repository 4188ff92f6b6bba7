// Text of the `wchs`, `wchc` and `wchp` four-letter words. Like Apache, they report the data
// watch table only (persistent watches appear there too); each ends with WatchCommand's newline.
import { hex } from '../types';
import type { WatchManager } from './watch-manager';

export function watchSummaryText(watches: WatchManager): string {
  const table = watches.data;
  return `${table.sessionCount()} connections watching ${table.pathCount()} paths\nTotal watches:${table.size()}\n`;
}

export function watchesBySessionText(watches: WatchManager): string {
  let out = '';
  for (const [sessionId, paths] of watches.data.bySessionReport()) {
    out += `${hex(sessionId)}\n`;
    for (const path of paths) out += `\t${path}\n`;
  }
  return out + '\n';
}

export function watchesByPathText(watches: WatchManager): string {
  let out = '';
  for (const [path, sessions] of watches.data.byPathReport()) {
    out += `${path}\n`;
    for (const sessionId of sessions) out += `\t${hex(sessionId)}\n`;
  }
  return out + '\n';
}
