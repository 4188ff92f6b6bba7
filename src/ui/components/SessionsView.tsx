// Sessions (id, timeout, server, state, ephemerals, expiry countdown), the watches in force, and the
// fired watch events with filters. Paths and names are rendered as text, never as HTML.
import { useMemo, useState } from 'react';
import { hex, type SessionId } from '../../zk/types';
import { expiresInMs, sessionsModel, type FiredRow, type SessionRow, type WatchRow } from '../trace/sessions-model';
import { useAppState } from './store-context';
import { useTraceModel } from './trace-context';
import { useNowMs } from './wall-clock';

const FIRED_SHOWN = 200;

export function SessionsView() {
  const view = useTraceModel(sessionsModel, (s) => s.summaries?.sessions);
  return (
    <section className="panel analysis" aria-label="sessions and watches">
      <header className="panel-head">
        <h2>sessions &amp; watches</h2>
      </header>
      <div className="analysis-body">
        <h3>sessions</h3>
        <Sessions rows={view.sessions} />
        <h3>watches</h3>
        <Watches rows={view.watches} />
        <h3>fired watch events</h3>
        <Fired rows={view.fired} />
      </div>
    </section>
  );
}

/** Ephemeral nodes per owner, from the page's mirror of the tree. */
function useEphemeralCounts(): Map<SessionId, number> {
  const nodes = useAppState((s) => s.nodes);
  return useMemo(() => {
    const counts = new Map<SessionId, number>();
    for (const node of Object.values(nodes)) {
      const owner = node.stat?.ephemeralOwner ?? 0n;
      if (owner !== 0n) counts.set(owner, (counts.get(owner) ?? 0) + 1);
    }
    return counts;
  }, [nodes]);
}

function Sessions({ rows }: { rows: SessionRow[] }) {
  const nowMs = useNowMs();
  const ephemerals = useEphemeralCounts();
  return (
    <table className="mono grid-table" aria-label="sessions">
      <thead>
        <tr>
          <th>session</th>
          <th>timeout</th>
          <th>server</th>
          <th>state</th>
          <th>ephemerals</th>
          <th>expires in</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const left = expiresInMs(row, nowMs);
          return (
            <tr key={row.sessionId.toString()}>
              <td>{hex(row.sessionId)}</td>
              <td>{row.timeoutMs} ms</td>
              <td>{row.server ?? '–'}</td>
              <td>{row.state}</td>
              <td>{ephemerals.get(row.sessionId) ?? 0}</td>
              <td>{left === null ? '–' : `≤ ${(left / 1000).toFixed(0)} s`}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Watches({ rows }: { rows: WatchRow[] }) {
  return (
    <table className="mono grid-table" aria-label="watches">
      <thead>
        <tr>
          <th>session</th>
          <th>path</th>
          <th>kind</th>
          <th>server</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((w) => (
          <tr key={`${w.server}|${w.sessionId}|${w.kind}|${w.path}`}>
            <td>{hex(w.sessionId)}</td>
            <td>{w.path}</td>
            <td>{w.kind}</td>
            <td>{w.server}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Fired({ rows }: { rows: FiredRow[] }) {
  const [pathFilter, setPathFilter] = useState('');
  const [typeFilter, setTypeFilter] = useState('');
  const types = useMemo(() => [...new Set(rows.map((r) => r.event))].sort(), [rows]);
  const shown = rows.filter((r) => r.path.includes(pathFilter) && (typeFilter === '' || r.event === typeFilter)).slice(-FIRED_SHOWN).reverse();
  return (
    <div className="fired">
      <div className="filters">
        <input aria-label="filter fired events by path" placeholder="path contains…" value={pathFilter} onChange={(e) => setPathFilter(e.target.value)} />
        <select aria-label="filter fired events by type" value={typeFilter} onChange={(e) => setTypeFilter(e.target.value)}>
          <option value="">all types</option>
          {types.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <table className="mono grid-table" aria-label="fired watch events">
        <thead>
          <tr>
            <th>zxid</th>
            <th>type</th>
            <th>path</th>
            <th>session</th>
            <th>server</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((f, i) => (
            <tr key={i}>
              <td>{hex(f.zxid)}</td>
              <td>{f.event}</td>
              <td>{f.path}</td>
              <td>{hex(f.sessionId)}</td>
              <td>{f.server}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
