// The module Web Worker hosting one ZooKeeper server of a tab. Timers here are the worker's own,
// so a throttled background page does not starve the server's clock.
import { openBroadcastTransport } from '../net/broadcast-links';
import { IdbStorage } from '../storage/idb-storage';
import type { MessagePortLike } from '../net/message-port-transport';
import { databaseName, isPageToWorker, type PageToWorker, type WorkerToPage } from './protocol';
import type { PeerWorkerToPage } from './peer-messages';
import { afterQueuedTasks } from './after-queued-tasks';
import { startPeerHost, type PeerHost } from './peer-host';
import { QuorumRuntime } from './quorum-runtime';
import { acquireServerLock } from './server-lock';
import { messageOf, ServerRuntime, type RuntimeTimers } from './server-runtime';

interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: WorkerToPage): void;
}

const scope = globalThis as unknown as WorkerScope;
type Runtime = ServerRuntime | QuorumRuntime;
let runtime: Promise<Runtime | null> | null = null;
let releaseLock: () => void = () => undefined;
/** Multi-tab mode only: the WebRTC peer links, fed by the page's data channel messages. */
let peerHost: PeerHost | null = null;

const post = (message: WorkerToPage): void => scope.postMessage(message);
const postPeer = (message: PeerWorkerToPage): void => (scope as unknown as { postMessage(m: PeerWorkerToPage): void }).postMessage(message);

/** How long trace events gather before they go to the page: a frame or two, invisible to a viewer. */
const TRACE_FLUSH_MS = 25;

const timers: RuntimeTimers = {
  setInterval: (fn, periodMs) => setInterval(fn, periodMs),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
  // Trace batches (and the status report each one prompts) at most every TRACE_FLUSH_MS: under load
  // a post per timer turn made the page re-render per write, starving the servers of CPU.
  defer: (fn) => void setTimeout(fn, TRACE_FLUSH_MS),
};

/** Wall-clock ms from the monotonic clock, so a clock step does not jump session expiry. */
const now = (): number => Math.floor(performance.timeOrigin + performance.now());

function randomSeed(): number {
  const words = new Uint32Array(1);
  crypto.getRandomValues(words);
  return words[0] ?? 1;
}

async function start(message: Extract<PageToWorker, { type: 'start' }>): Promise<Runtime | null> {
  const name = databaseName(message.identity);
  try {
    releaseLock = await acquireServerLock(name, () =>
      post({ type: 'phase', phase: 'waiting-for-lock', detail: `${name} is held by another tab; waiting for it to close` }),
    );
    post({ type: 'phase', phase: 'recovering', detail: `opening IndexedDB database ${name}` });
    const storage = await IdbStorage.open(name);
    const options = { identity: message.identity, tickTimeMs: message.tickTimeMs, storage, post, now, seed: randomSeed(), timers };
    if (message.quorum !== undefined) {
      const peerTransport =
        peerHost !== null
          ? { peerTransport: peerHost.transport }
          : message.peerLinks === 'broadcast'
            ? { peerTransport: openBroadcastTransport(message.identity.cluster, message.identity.myid, now()) }
            : {};
      return await QuorumRuntime.start({ ...options, quorum: message.quorum, ...peerTransport });
    }
    return await ServerRuntime.start(options);
  } catch (error) {
    const text = `server ${message.identity.myid} could not start: ${messageOf(error)}`;
    post({ type: 'error', message: text, fatal: true });
    post({ type: 'phase', phase: 'failed', detail: text });
    return null;
  }
}

/** Runs `fn` on the quorum runtime once it is up (in message order); other runtimes ignore it. */
function onQuorum(fn: (r: QuorumRuntime) => void, orElse: () => void = () => undefined): void {
  if (runtime === null) return orElse();
  void runtime
    .then((r) => (r instanceof QuorumRuntime ? fn(r) : orElse()))
    .catch((error: unknown) => post({ type: 'error', message: `worker: ${messageOf(error)}`, fatal: false }));
}

scope.onmessage = (event: MessageEvent) => {
  const message: unknown = event.data;
  // Data channels for the WebRTC peer links come first: the page protocol would reject them.
  if (peerHost?.handle(message) === true) return;
  if (!isPageToWorker(message)) {
    post({ type: 'error', message: 'worker received a malformed message', fatal: false });
    return;
  }
  switch (message.type) {
    case 'start':
      if (runtime === null) {
        // Created before the (asynchronous) start, so channels arriving meanwhile are kept.
        if (message.peerLinks === 'webrtc' && message.quorum !== undefined) peerHost = startPeerHost(message.identity.myid, postPeer, { flushSoon: afterQueuedTasks });
        runtime = start(message);
      }
      else post({ type: 'error', message: 'server already started', fatal: false });
      return;
    case 'connect':
      if (runtime === null) {
        message.port.postMessage({ type: 'close', reason: 'server not started' });
        message.port.close();
        return;
      }
      void runtime.then((r) => {
        if (r !== null) r.attach(message.port, message.remoteAddress);
        else {
          message.port.postMessage({ type: 'close', reason: 'server failed to start' });
          message.port.close();
        }
      });
      return;
    case 'stop':
      void runtime
        ?.then((r) => r?.stop())
        .catch((error: unknown) => post({ type: 'error', message: `stop failed: ${messageOf(error)}`, fatal: false }))
        .then(() => {
          releaseLock();
          post({ type: 'phase', phase: 'stopped', detail: 'stopped' });
        });
      return;
    case 'peer.port': {
      const port = message.port as unknown as MessagePortLike;
      onQuorum(
        (r) => r.attachPeer(message.peer, port),
        () => port.close(),
      );
      return;
    }
    case 'peer.gone':
      onQuorum((r) => r.peerGone(message.peer));
      return;
    case 'freeze':
      onQuorum((r) => r.setFrozen(message.frozen));
      return;
    case 'faults':
      onQuorum((r) => r.setFaults(message.links));
      return;
  }
};
