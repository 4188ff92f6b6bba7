// Runs callbacks after the tasks already queued in this thread: a message posted to itself over a
// MessageChannel goes behind them, where a microtask would run before them. The data channel
// messages queued at the leader under load (requests, ACKs from both followers) then cause one
// packed write per peer instead of one each (measured in bench/tabs-bench.ts, see README).
// A microtask where there is no MessageChannel.

type Callback = () => void;

let pending: Callback[] = [];
let port: MessagePort | null | undefined;

function runPending(): void {
  const batch = pending;
  pending = [];
  for (const fn of batch) fn();
}

function selfPort(): MessagePort | null {
  if (port !== undefined) return port;
  if (typeof MessageChannel === 'undefined') return (port = null);
  const channel = new MessageChannel();
  channel.port1.onmessage = runPending;
  // Under Node (tests) a listening port would keep the process alive.
  (channel.port1 as { unref?: () => void }).unref?.();
  (channel.port2 as { unref?: () => void }).unref?.();
  port = channel.port2;
  return port;
}

/** Calls `fn` once the tasks queued before this call have run; callbacks run in call order. */
export function afterQueuedTasks(fn: Callback): void {
  const target = selfPort();
  if (target === null) return queueMicrotask(fn);
  pending.push(fn);
  if (pending.length === 1) target.postMessage(null);
}
