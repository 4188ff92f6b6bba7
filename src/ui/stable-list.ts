// Keeps a list's identity while its content stays the same. Every status message a worker sends
// carries fresh arrays (structured clone), so a view keyed on them by identity would redo its work
// per message even when nothing in them changed: the znode tree re-laid itself out per status.

/** `previous` when `next` has the same items in the same order, else `next`. */
export function stableList<T>(previous: readonly T[], next: readonly T[]): readonly T[] {
  if (previous === next) return previous;
  if (previous.length !== next.length) return next;
  for (let i = 0; i < next.length; i++) if (!Object.is(previous[i], next[i])) return next;
  return previous;
}
