// Recipes: run seed scenarios 3-7 with several client sessions of this page and watch them under
// faults. Choose a recipe, start participants (each its own session, spread over the servers),
// act per participant, and see the recipe's state as ZooKeeper holds it plus the recipe's log.
// Names and data are rendered as text, never as HTML.
import { useContext, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { RecipeName } from '../../recipes/recipe-support';
import { connectString } from '../cluster-model';
import { tabsConnectString } from '../tabs-connector';
import { RecipesConnectionContext, type RecipeConnection } from '../recipes-context';
import type { ObservedState } from '../recipes-observer';
import { hexId, openRecipeClient, PARTICIPANTS_MAX, RecipesRunner, runnerFor, type ParticipantView, type RecipeAction, type RecipesState } from '../recipes-runner';
import type { TabParams } from '../url-params';
import { useClusterController } from './cluster-context';
import { useAppState, useAppStore } from './store-context';

const CLIENT_PORT = 2181;
const RECIPES: ReadonlyArray<{ name: RecipeName; label: string }> = [
  { name: 'lock', label: 'distributed lock' },
  { name: 'config', label: 'config watch' },
  { name: 'registry', label: 'server registry' },
  { name: 'election', label: 'active/standby election' },
  { name: 'queue', label: 'queue' },
  { name: 'barrier', label: 'barrier' },
];

interface Button {
  label: string;
  action: RecipeAction;
  withValue?: boolean;
}
const BUTTONS: Record<RecipeName, Button[]> = {
  lock: [
    { label: 'Acquire lock', action: 'acquire' },
    { label: 'Release lock', action: 'release' },
  ],
  config: [{ label: 'Set config', action: 'set', withValue: true }],
  registry: [],
  election: [
    { label: 'Resign', action: 'resign' },
    { label: 'Contend again', action: 'rejoin' },
  ],
  queue: [
    { label: 'Put item', action: 'offer', withValue: true },
    { label: 'Take item', action: 'take' },
  ],
  barrier: [
    { label: 'Enter barrier', action: 'enter' },
    { label: 'Leave barrier', action: 'leave' },
  ],
};

function useConnection(params: TabParams): RecipeConnection | null {
  const provided = useContext(RecipesConnectionContext);
  const controller = useClusterController();
  if (provided !== null) return provided;
  if (controller === null) return null;
  // As the page session: tabs mode lists this tab's own server first, kept first (no shuffle).
  if (params.mode === 'tabs') return { connector: (label) => controller.connector(label), address: tabsConnectString(params.identity.myid, params.size, CLIENT_PORT), shuffle: false };
  return { connector: (label) => controller.connector(label), address: connectString(params.size, CLIENT_PORT) };
}

export function RecipesView() {
  const params = useAppState((s) => s.params);
  const connection = useConnection(params);
  if (connection === null) {
    return (
      <section className="panel analysis" aria-label="recipes">
        <header className="panel-head">
          <h2>recipes</h2>
        </header>
        <p className="analysis-body">This tab has no connector for recipe sessions (standalone mode needs it provided by the page's boot code).</p>
      </section>
    );
  }
  return <RecipesPanel connection={connection} params={params} />;
}

function RecipesPanel({ connection, params }: { connection: RecipeConnection; params: TabParams }) {
  const appStore = useAppStore();
  const suffix = params.mode === 'tabs' ? `@tab${params.identity.myid}` : '';
  const runner = runnerFor(appStore, () => new RecipesRunner(openRecipeClient((label) => connection.connector(label), connection.address, connection.shuffle ?? true), suffix));
  const state = useStore(runner.store);
  const [count, setCount] = useState(3);
  const [value, setValue] = useState('v1');
  return (
    <section className="panel analysis" aria-label="recipes">
      <header className="panel-head">
        <h2>recipes</h2>
        <span className="dim">sessions to {connection.address}</span>
      </header>
      <div className="analysis-body">
        <div className="recipe-controls" style={{ display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'center' }}>
          <label>
            recipe{' '}
            <select aria-label="recipe" value={state.recipe} onChange={(e) => runner.choose(e.target.value as RecipeName)}>
              {RECIPES.map((r) => (
                <option key={r.name} value={r.name}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            participants{' '}
            <input aria-label="participants" type="number" min={1} max={PARTICIPANTS_MAX} value={count} style={{ width: 48 }} onChange={(e) => setCount(Number(e.target.value))} />
          </label>
          <button onClick={() => runner.start(count)}>Start participants</button>
          <button onClick={() => runner.stopAll()}>Close all sessions</button>
          <label>
            value <input aria-label="value" value={value} style={{ width: 90 }} onChange={(e) => setValue(e.target.value)} />
          </label>
          {state.recipe === 'barrier' ? (
            <label>
              barrier size{' '}
              <input
                aria-label="barrier size"
                type="number"
                min={1}
                value={state.barrierSize}
                style={{ width: 48 }}
                onChange={(e) => {
                  const size = Number(e.target.value);
                  if (Number.isInteger(size) && size >= 1) runner.setBarrierSize(size);
                }}
              />
            </label>
          ) : null}
        </div>
        <RecipeStateView state={state} />
        <h3>participants</h3>
        <ul aria-label="participants" className="mono" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {state.participants.map((p) => (
            <ParticipantRow key={p.name} p={p} recipe={state.recipe} onAct={(action) => runner.act(p.name, action, value)} onClose={() => runner.closeSession(p.name)} />
          ))}
        </ul>
        <h3>recipe events</h3>
        <RecipeLog state={state} />
      </div>
    </section>
  );
}

function ParticipantRow({ p, recipe, onAct, onClose }: { p: ParticipantView; recipe: RecipeName; onAct: (a: RecipeAction) => void; onClose: () => void }) {
  return (
    <li role="group" aria-label={`participant ${p.name}`} style={{ display: 'flex', gap: 10, alignItems: 'center', padding: '2px 0', opacity: p.ended ? 0.55 : 1 }}>
      <b>{p.name}</b>
      <span title="session id">session {p.sessionId === 0n ? '–' : hexId(p.sessionId)}</span>
      <span title="server">on {p.server ?? '–'}</span>
      <span className={`conn conn-${p.clientState.toLowerCase()}`}>{p.ended ? 'ENDED' : p.clientState}</span>
      <span aria-label="recipe status">{p.status}</span>
      {BUTTONS[recipe].map((b) => (
        <button key={b.action} disabled={p.ended} onClick={() => onAct(b.action)}>
          {b.label}
        </button>
      ))}
      <button disabled={p.ended} onClick={onClose}>
        Close session {p.name}
      </button>
    </li>
  );
}

function RecipeStateView({ state }: { state: RecipesState }) {
  const o = state.observed;
  return (
    <div role="region" aria-label="recipe state" style={{ margin: '6px 0' }}>
      <div className="dim">
        as ZooKeeper holds it ({o.path}, observer session {state.observerState}){o.error !== null ? `: ${o.error}` : ''}
      </div>
      <Summary recipe={state.recipe} observed={o} barrierSize={state.barrierSize} />
      <ol aria-label={`${o.path} children`} className="mono" style={{ margin: '2px 0' }}>
        {o.items.map((item, i) => (
          <li key={item.name}>
            {item.name} — {item.value ?? '(no data)'}
            {state.recipe === 'lock' && i === 0 ? ' (holds the lock)' : ''}
          </li>
        ))}
      </ol>
    </div>
  );
}

function Summary({ recipe, observed, barrierSize }: { recipe: RecipeName; observed: ObservedState; barrierSize: number }) {
  const first = observed.items[0]?.value ?? null;
  const nobody = observed.ready ? 'nobody' : '…';
  switch (recipe) {
    case 'lock':
      return (
        <p>
          lock holder: <b role="status" aria-label="lock holder">{observed.items.length > 0 ? (first ?? '?') : nobody}</b> · waiting:{' '}
          {observed.items.length > 1 ? observed.items.slice(1).map((i) => i.value ?? '?').join(' → ') : 'none'}
        </p>
      );
    case 'election':
      return (
        <p>
          active: <b role="status" aria-label="active participant">{observed.items.length > 0 ? (first ?? '?') : nobody}</b>
        </p>
      );
    case 'config':
      return (
        <p>
          config value: <b role="status" aria-label="config value">{observed.items.length > 0 ? (first ?? '(no data)') : '(no node)'}</b>
        </p>
      );
    case 'registry':
      return (
        <p>
          members: <b role="status" aria-label="registry members">{observed.items.map((i) => i.name).join(', ') || nobody}</b>
        </p>
      );
    case 'queue':
      return (
        <p>
          queue (head first): <b role="status" aria-label="queue contents">{observed.items.map((i) => i.value ?? '?').join(', ') || 'empty'}</b>
        </p>
      );
    case 'barrier':
      return (
        <p>
          barrier:{' '}
          <b role="status" aria-label="barrier state">
            {observed.items.length}/{barrierSize} in{observed.items.length >= barrierSize ? ' — released' : ''}
          </b>
        </p>
      );
  }
}

function RecipeLog({ state }: { state: RecipesState }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const log = ref.current;
    if (log !== null) log.scrollTop = log.scrollHeight;
  }, [state.events]);
  return (
    <div ref={ref} role="log" aria-label="recipe events" className="mono" style={{ maxHeight: 220, overflow: 'auto' }}>
      {state.events.map((e) => (
        <div key={e.seq} className={`recipe-event recipe-${e.kind}`}>
          [{e.recipe}] {e.text}
        </div>
      ))}
    </div>
  );
}
