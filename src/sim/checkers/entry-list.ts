// The doubly linked list of call/return events that the Wing-Gong-Lowe search lifts operations out
// of and puts them back into (in stack order). Pending operations have a call event only.

export interface Entry {
  readonly kind: 'call' | 'return';
  /** Index of the operation within the partition being searched. */
  readonly op: number;
  readonly time: number;
  /** call -> its return (null when pending); return -> its call. */
  match: Entry | null;
  prev: Entry | null;
  next: Entry | null;
}

export interface OpTimes {
  callTime: number;
  returnTime?: number;
}

/**
 * Builds the event list and returns its sentinel head. Events are ordered by time; at equal times
 * calls come before returns, so operations that merely touch count as concurrent (the permissive
 * choice: a checker must never reject a correct system because of timestamp granularity).
 */
export function buildEntryList(ops: readonly OpTimes[]): Entry {
  const events: Entry[] = [];
  ops.forEach((op, index) => {
    const call: Entry = { kind: 'call', op: index, time: op.callTime, match: null, prev: null, next: null };
    events.push(call);
    if (op.returnTime !== undefined) {
      const ret: Entry = { kind: 'return', op: index, time: op.returnTime, match: call, prev: null, next: null };
      call.match = ret;
      events.push(ret);
    }
  });
  events.sort(compareEvents);
  const head: Entry = { kind: 'call', op: -1, time: -Infinity, match: null, prev: null, next: null };
  let last = head;
  for (const event of events) {
    last.next = event;
    event.prev = last;
    last = event;
  }
  return head;
}

function compareEvents(a: Entry, b: Entry): number {
  if (a.time !== b.time) return a.time - b.time;
  if (a.kind !== b.kind) return a.kind === 'call' ? -1 : 1;
  return a.op - b.op;
}

function unlink(entry: Entry): void {
  if (entry.prev === null) throw new Error('entry-list: cannot unlink the head');
  entry.prev.next = entry.next;
  if (entry.next !== null) entry.next.prev = entry.prev;
}

function relink(entry: Entry): void {
  if (entry.prev === null) throw new Error('entry-list: cannot relink the head');
  entry.prev.next = entry;
  if (entry.next !== null) entry.next.prev = entry;
}

/** Removes a call event and its return event (if any). */
export function lift(call: Entry): void {
  unlink(call);
  if (call.match !== null) unlink(call.match);
}

/** Undoes the most recent `lift` of this call (must be called in reverse lift order). */
export function unlift(call: Entry): void {
  if (call.match !== null) relink(call.match);
  relink(call);
}
