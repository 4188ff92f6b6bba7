// The main slot as tabs: in cluster mode the live ensemble diagram, in a standalone tab the
// inspector, each beside the views built from the recorded trace. Only the chosen panel is
// mounted, so hidden views cost nothing.
import { useState, type KeyboardEvent, type ReactNode } from 'react';
import { ChartsView } from './ChartsView';
import { ClusterView } from './ClusterView';
import { ElectionView } from './ElectionView';
import { Inspector } from './Inspector';
import { RecipesView } from './RecipesView';
import { ReplicationView } from './ReplicationView';
import { SessionsView } from './SessionsView';
import { TimelineView } from './TimelineView';

interface Tab {
  name: string;
  render: () => ReactNode;
}

const SESSIONS: Tab = { name: 'Sessions & watches', render: () => <SessionsView /> };
const TIMELINE: Tab = { name: 'Timeline', render: () => <TimelineView /> };
const RECIPES: Tab = { name: 'Recipes', render: () => <RecipesView /> };

export const CLUSTER_TABS: readonly Tab[] = [
  { name: 'Cluster', render: () => <ClusterView /> },
  { name: 'Election', render: () => <ElectionView /> },
  { name: 'Replication', render: () => <ReplicationView /> },
  SESSIONS,
  TIMELINE,
  { name: 'Charts', render: () => <ChartsView /> },
  RECIPES,
];

/** A standalone server has no election or replication; an imported trace may, the timeline shows it. */
export const STANDALONE_TABS: readonly Tab[] = [{ name: 'Inspector', render: () => <Inspector /> }, SESSIONS, TIMELINE, RECIPES];

const tabId = (i: number) => `analysis-tab-${i}`;

export function AnalysisTabs({ tabs, area }: { tabs: readonly Tab[]; area: 'cluster' | 'inspector' }) {
  const [chosen, setChosen] = useState(0);
  const onKey = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step !== 0) setChosen((i) => (i + step + tabs.length) % tabs.length);
  };
  const tab = tabs[chosen] as Tab;
  return (
    <div className={`analysis-tabs area-${area}`}>
      <div role="tablist" aria-label="views" className="tablist" onKeyDown={onKey}>
        {tabs.map((t, i) => (
          <button key={t.name} id={tabId(i)} role="tab" aria-selected={i === chosen} tabIndex={i === chosen ? 0 : -1} onClick={() => setChosen(i)}>
            {t.name}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-labelledby={tabId(chosen)} className="tabpanel">
        {tab.render()}
      </div>
    </div>
  );
}
