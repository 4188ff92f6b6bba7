// Entry point of a ZooTabs tab. Standalone (default): starts this tab's server worker. Simulate
// (`?mode=simulate`, the "Simulate N servers here" button): starts one worker per server of the
// ensemble, wired by MessagePorts. Either way the page's client session (tree + inspector) and the
// console's zkCli session connect over MessagePorts, and the view renders from the store.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { ZooKeeperApi } from '../client/api';
import type { Connector } from '../net/byte-stream';
import { startBridge } from './bridge';
import { ClusterController } from './cluster-controller';
import { connectString } from './cluster-model';
import { App } from './components/App';
import { ClusterContext } from './components/cluster-context';
import { ConsoleContext } from './components/Console';
import { StoreContext } from './components/store-context';
import { TraceContext } from './components/trace-context';
import { ConsoleSession } from './console-session';
import { PageSession } from './page-session';
import { SelectionLoader } from './selection';
import { createAppStore, reportError, type AppStore } from './store';
import { TreeMirror } from './tree-mirror';
import { parseTabParams, type TabParams } from './url-params';
import { recordFromAppStore } from './trace/record';
import { createTraceStore } from './trace/trace-store';
import './styles.css';

const CLIENT_PORT = 2181;

interface Servers {
  connector(remoteAddress: string): Connector;
  /** The connect string the page's sessions use. */
  address: string;
  controller: ClusterController | null;
}

function startServers(store: AppStore, params: TabParams): Servers {
  if (params.mode === 'simulate') {
    const controller = new ClusterController(store, params);
    controller.startAll();
    return {
      connector: (remote) => controller.connector(remote),
      address: connectString(params.size, CLIENT_PORT),
      controller,
    };
  }
  const bridge = startBridge(store, params.identity, params.tickTimeMs);
  return {
    connector: (remote) => bridge.connector(remote),
    address: `server${params.identity.myid}:${CLIENT_PORT}`,
    controller: null,
  };
}

function boot(): void {
  const params = parseTabParams(window.location.search);
  const store = createAppStore(params);
  const trace = createTraceStore();
  recordFromAppStore(store, trace);
  const servers = startServers(store, params);

  const selection = new SelectionLoader(store);
  const mirrors = new WeakMap<ZooKeeperApi, TreeMirror>();
  const page = new PageSession(store, servers.connector('page'), servers.address, (zk) => {
    const existing = mirrors.get(zk);
    if (existing !== undefined) {
      existing.resync();
    } else {
      const mirror = new TreeMirror(store, zk);
      mirrors.set(zk, mirror);
      mirror.start();
      if (store.getState().selectedPath === null) store.setState({ selectedPath: '/' });
    }
    selection.useClient(zk);
  });
  page.open();

  const console = new ConsoleSession(store, servers.connector('zkCli'), servers.address);
  console.open().catch((error: unknown) => reportError(store, `zkCli failed to start: ${String(error)}`));

  // Best effort: the sessions' close requests may not make it before the worker is torn down,
  // which storage handles like a crash (the sessions then expire after recovery).
  window.addEventListener('pagehide', () => {
    console.close();
    page.close();
  });

  const rootElement = document.getElementById('root');
  if (rootElement === null) throw new Error('index.html has no #root element');
  createRoot(rootElement).render(
    <StrictMode>
      <StoreContext.Provider value={store}>
        <TraceContext.Provider value={trace}>
          <ClusterContext.Provider value={servers.controller}>
            <ConsoleContext.Provider value={console}>
              <App />
            </ConsoleContext.Provider>
          </ClusterContext.Provider>
        </TraceContext.Provider>
      </StoreContext.Provider>
    </StrictMode>,
  );
}

boot();
