// The page layout. Standalone: header, server card and tree on the left, inspector on the right,
// console and event log below. Simulate: the ensemble view on top (a tab beside the trace views:
// election, replication, sessions & watches, timeline), tree and inspector on the left.
import { dismissError } from '../store';
import { hex } from '../../zk/types';
import { tabUrl } from '../url-params';
import { AnalysisTabs, CLUSTER_TABS, STANDALONE_TABS } from './AnalysisTabs';
import { Console } from './Console';
import { EventLog } from './EventLog';
import { Inspector } from './Inspector';
import { ServerCard } from './ServerCard';
import { TourMenu, TourPanel } from './TourPanel';
import { ZnodeTree } from './ZnodeTree';
import { useAppState, useAppStore } from './store-context';

export function App() {
  const clusterMode = useAppState((s) => s.params.mode !== 'standalone');
  if (clusterMode) {
    return (
      <div className="app">
        <TopBar />
        <Errors />
        <TourPanel />
        <main className="layout cluster-mode">
          <aside className="left">
            <ZnodeTree />
            <Inspector />
          </aside>
          <AnalysisTabs tabs={CLUSTER_TABS} area="cluster" />
          <Console />
          <EventLog />
        </main>
      </div>
    );
  }
  return (
    <div className="app">
      <TopBar />
      <Errors />
      <main className="layout">
        <aside className="left">
          <ServerCard />
          <ZnodeTree />
        </aside>
        <AnalysisTabs tabs={STANDALONE_TABS} area="inspector" />
        <Console />
        <EventLog />
      </main>
    </div>
  );
}

function TopBar() {
  const params = useAppState((s) => s.params);
  const session = useAppState((s) => s.session);
  return (
    <header className="topbar">
      <h1>
        Zoo<span>Tabs</span>
      </h1>
      <span className="tag">
        cluster <b>{params.identity.cluster}</b>
      </span>
      <span className="tag">
        size <b>{params.size}</b>
      </span>
      {params.mode !== 'standalone' ? (
        <>
          <span className="tag">
            {params.mode === 'tabs' ? (
              <>
                myid <b>{params.identity.myid}</b> · one server per tab
              </>
            ) : (
              'single tab'
            )}{' '}
            · tickTime <b>{params.tickTimeMs}</b> ms
          </span>
          <span className="spacer" />
          {params.mode === 'tabs' && (
            <a className="mode-link" href={tabUrl(params, 'simulate')} title="run the whole ensemble in this tab: one worker per server, MessagePorts between them">
              all {params.size} servers in this tab
            </a>
          )}
          <a className="mode-link" href={tabUrl(params, 'standalone')}>
            one standalone server
          </a>
        </>
      ) : (
        <>
          <span className="tag">
            myid <b>{params.identity.myid}</b>
          </span>
          <span className="spacer" />
          <button
            className="mode-button"
            onClick={() => window.location.assign(tabUrl(params, 'simulate'))}
            title="run the whole ensemble in this tab: one worker per server, MessagePorts between them"
          >
            Simulate {params.size} servers here
          </button>
        </>
      )}
      <TourMenu />
      <span className="tag" title="the page's own client session (tree and inspector read through it)">
        page session <b>{session.sessionId === 0n ? '–' : hex(session.sessionId)}</b> <span className={`conn conn-${session.state.toLowerCase()}`}>{session.state}</span>
      </span>
    </header>
  );
}

function Errors() {
  const store = useAppStore();
  const errors = useAppState((s) => s.errors);
  if (errors.length === 0) return null;
  return (
    <div className="errors" role="alert">
      {errors.map((message) => (
        <div key={message} className="error-item">
          <span>{message}</span>
          <button aria-label="dismiss" onClick={() => dismissError(store, message)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
