// How one session watches one path in one table, as a small bit set (Apache's WatchStats):
// a session may hold a one-shot watch and persistent watches on the same path at once.
export enum WatcherMode {
  STANDARD = 1,
  PERSISTENT = 2,
  PERSISTENT_RECURSIVE = 4,
}

/** Bit set of WatcherMode values; 0 means "no watch". */
export type WatchFlags = number;

export const NO_WATCH: WatchFlags = 0;

export function hasMode(flags: WatchFlags, mode: WatcherMode): boolean {
  return (flags & mode) !== 0;
}

export function addMode(flags: WatchFlags, mode: WatcherMode): WatchFlags {
  return flags | mode;
}

export function removeMode(flags: WatchFlags, mode: WatcherMode): WatchFlags {
  return flags & ~mode;
}
