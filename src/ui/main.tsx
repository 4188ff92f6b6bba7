// Entry point of a ZooTabs tab. Standalone (default): starts this tab's server worker. Simulate
// (`?mode=simulate`, the "Simulate N servers here" button): starts one worker per server of the
// ensemble, wired by MessagePorts. Either way the page's client session (tree + inspector) and the
// console's zkCli session connect over MessagePorts, and the view renders from the store.
// Tabs (`?mode=tabs`): this tab claims a myid on the PeerServer first, then runs that one server,
// linked to the other tabs over WebRTC; its sessions list every voter, own server first, and
// reach the other tabs' servers through client tunnels over WebRTC (src/ui/tabs-connector.ts).
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
import { RecipesConnectionContext, type RecipeConnection } from './recipes-context';
import { SelectionLoader } from './selection';
import { createAppStore, reportError, type AppStore } from './store';
import { TreeMirror } from './tree-mirror';
import { joinTabCluster, type TabMembership } from './tab-membership';
import { startTabsControl } from './tabs-control';
import { tabsConnectString } from './tabs-connector';
import { parseTabParams, type TabParams } from './url-params';
import { recordFromAppStore } from './trace/record';
import { createTraceStore, type TraceStore } from './trace/trace-store';
import { isTourPage, startTourFromUrl } from './tours/tour-boot';
import { TourContext } from './tours/tour-context';
import './styles.css';

const CLIENT_PORT = 2181;

interface Servers {
  connector(remoteAddress: string): Connector;
  /** The connect string the page's sessions use. */
  address: string;
  controller: ClusterController | null;
  /** Multi-tab mode: stops the control plane (page unload). */
  stop?: () => void;
}

function startServers(store: AppStore, params: TabParams, membership: TabMembership | null): Servers {
  if (membership !== null) {
    const controller = new ClusterController(store, params, { membership });
    controller.startAll();
    // Every tab shows and controls the whole cluster over the control plane.
    const peerChannels = new URLSearchParams(window.location.search).get('controlLinks') !== 'broadcast';
    const stop = startTabsControl(store, controller, membership, params.identity.cluster, { peerChannels });
    return {
      connector: (remote) => controller.connector(remote),
      address: tabsConnectString(membership.myid, params.size, CLIENT_PORT),
      controller,
      stop,
    };
  }
  if (params.mode === 'simulate') {
    const controller = new ClusterController(store, params);
    // A guided tour (`?tour=N`) starts from no running server: its steps start them.
    if (!isTourPage(window.location.search, params)) controller.startAll();
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

/** Multi-tab mode: claims this tab's myid before anything starts (the store is keyed by it). */
async function joinIfTabs(params: TabParams): Promise<{ params: TabParams; membership: TabMembership | null }> {
  if (params.mode !== 'tabs') return { params, membership: null };
  const membership = await joinTabCluster(params.identity.cluster, params.size);
  return { params: { ...params, identity: { ...params.identity, myid: membership.myid } }, membership };
}

/**
 * Dev/test-only hook for benchmarks and e2e (bench/tabs-bench.ts): `window.__zootabs.session()` is
 * the page's own client session, so a load can run inside the tab through the in-page channel.
 * Set only by the Vite dev server (`npm start`) or with `?bench=1`; never in a production build.
 */
function exposeForTests(page: PageSession, store: AppStore, trace: TraceStore): void {
  if (!import.meta.env.DEV && !new URLSearchParams(window.location.search).has('bench')) return;
  // `store` lets the UI benchmark (bench/ui-bench.ts) time a render of a given tree directly.
  // `trace` lets bench/tabs-diagnose.ts break a write's latency down by the servers' trace events.
  (window as unknown as { __zootabs: { session(): ZooKeeperApi | null; store: AppStore; trace: TraceStore } }).__zootabs = { session: () => page.client, store, trace };
}

function showBootFailure(error: unknown): void {
  const rootElement = document.getElementById('root');
  const text = `ZooTabs could not join the cluster: ${error instanceof Error ? error.message : String(error)}`;
  if (rootElement !== null) {
    rootElement.setAttribute('role', 'alert');
    rootElement.textContent = text;
  }
  console.error(text);
}

function boot(tabParams: TabParams, membership: TabMembership | null): void {
  const params = tabParams;
  const store = createAppStore(params);
  const trace = createTraceStore();
  recordFromAppStore(store, trace);
  const servers = startServers(store, params, membership);

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
  const tour = startTourFromUrl(window.location.search, params, store, servers.controller, () => page.client);
  exposeForTests(page, store, trace);

  const console = new ConsoleSession(store, servers.connector('zkCli'), servers.address);
  console.open().catch((error: unknown) => reportError(store, `zkCli failed to start: ${String(error)}`));

  // Best effort: the sessions' close requests may not make it before the worker is torn down,
  // which storage handles like a crash (the sessions then expire after recovery).
  window.addEventListener('pagehide', () => {
    console.close();
    page.close();
    servers.stop?.();
    membership?.leave();
  });

  // The Recipes view's participants: their own sessions, through the same servers as the page's.
  const recipes: RecipeConnection = { connector: (label) => servers.connector(label), address: servers.address, shuffle: params.mode === 'simulate' };

  const rootElement = document.getElementById('root');
  if (rootElement === null) throw new Error('index.html has no #root element');
  createRoot(rootElement).render(
    <StrictMode>
      <StoreContext.Provider value={store}>
        <TraceContext.Provider value={trace}>
          <ClusterContext.Provider value={servers.controller}>
            <TourContext.Provider value={tour}>
              <ConsoleContext.Provider value={console}>
                <RecipesConnectionContext.Provider value={recipes}>
                  <App />
                </RecipesConnectionContext.Provider>
              </ConsoleContext.Provider>
            </TourContext.Provider>
          </ClusterContext.Provider>
        </TraceContext.Provider>
      </StoreContext.Provider>
    </StrictMode>,
  );
}

joinIfTabs(parseTabParams(window.location.search)).then(({ params, membership }) => boot(params, membership), showBootFailure);
