// Entry point of a ZooTabs tab: starts this tab's server worker, opens the page's client session
// (tree + inspector) and the console's zkCli session over MessagePorts, and renders the view.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { ZooKeeperApi } from '../client/api';
import { startBridge } from './bridge';
import { App } from './components/App';
import { ConsoleContext } from './components/Console';
import { StoreContext } from './components/store-context';
import { ConsoleSession } from './console-session';
import { PageSession } from './page-session';
import { SelectionLoader } from './selection';
import { createAppStore, reportError } from './store';
import { TreeMirror } from './tree-mirror';
import { parseTabParams } from './url-params';
import './styles.css';

const CLIENT_PORT = 2181;

function boot(): void {
  const params = parseTabParams(window.location.search);
  const store = createAppStore(params);
  const bridge = startBridge(store, params.identity);
  const address = `server${params.identity.myid}:${CLIENT_PORT}`;

  const selection = new SelectionLoader(store);
  const mirrors = new WeakMap<ZooKeeperApi, TreeMirror>();
  const page = new PageSession(store, bridge.connector('page'), address, (zk) => {
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

  const console = new ConsoleSession(store, bridge.connector('zkCli'), address);
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
        <ConsoleContext.Provider value={console}>
          <App />
        </ConsoleContext.Provider>
      </StoreContext.Provider>
    </StrictMode>,
  );
}

boot();
