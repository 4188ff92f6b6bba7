// The page's link to its server worker: starts it, turns its messages into store updates, and opens
// client connections to it (each a MessageChannel whose far end is transferred to the worker).
import type { Connector } from '../net/byte-stream';
import { portConnector } from '../worker/port-stream';
import type { PageToWorker, ServerIdentity, WorkerToPage } from '../worker/protocol';
import { appendEvents, reportError, type AppStore } from './store';

export interface WorkerLike {
  postMessage(message: PageToWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

export interface ServerBridge {
  /** A Connector for client sessions; `remoteAddress` is what the server logs for them. */
  connector(remoteAddress: string): Connector;
  stop(): void;
}

export function createServerWorker(name = 'zootabs-server'): WorkerLike {
  return new Worker(new URL('../worker/server-worker.ts', import.meta.url), { type: 'module', name });
}

export function startBridge(store: AppStore, identity: ServerIdentity, tickTimeMs: number, worker: WorkerLike = createServerWorker()): ServerBridge {
  worker.onmessage = (event: MessageEvent) => applyWorkerMessage(store, event.data as WorkerToPage);
  worker.onerror = (event: ErrorEvent) => {
    const where = event.filename ? ` (${event.filename}:${event.lineno})` : '';
    reportError(store, `server worker crashed: ${event.message || 'unknown error'}${where}`);
    store.setState({ phase: 'failed', phaseDetail: 'the worker crashed' });
  };
  worker.postMessage({ type: 'start', identity, tickTimeMs });
  const attach = (port: MessagePort, remoteAddress: string) => worker.postMessage({ type: 'connect', port, remoteAddress }, [port]);
  return {
    connector: (remoteAddress) => portConnector(attach, remoteAddress),
    stop: () => worker.postMessage({ type: 'stop' }),
  };
}

export function applyWorkerMessage(store: AppStore, message: WorkerToPage): void {
  switch (message.type) {
    case 'phase':
      store.setState({ phase: message.phase, phaseDetail: message.detail });
      return;
    case 'recovered':
      store.setState({ recovery: { snapshotZxid: message.snapshotZxid, logEntries: message.logEntries, warnings: message.warnings } });
      for (const warning of message.warnings) reportError(store, `storage: ${warning}`);
      return;
    case 'status':
      store.setState({ status: message.status });
      return;
    case 'trace':
      appendEvents(store, message.events);
      return;
    case 'error':
      reportError(store, message.message);
      return;
    default:
      reportError(store, `unknown message from the server worker: ${JSON.stringify((message as { type?: unknown }).type)}`);
  }
}
