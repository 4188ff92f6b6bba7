// The fault forms of the cluster view: a partition (a side per server, then apply) and per-link
// latency and loss sliders.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ServerId } from '../../zk/types';
import { directedLinkKey, type ClusterServer, type ClusterState, type LinkSetting, type PartitionGroup } from '../cluster-model';
import { useClusterController } from './cluster-context';

export function PartitionForm({ cluster, servers, onDone }: { cluster: ClusterState; servers: ClusterServer[]; onDone: () => void }) {
  const controller = useClusterController();
  const [groups, setGroups] = useState<Record<number, PartitionGroup>>(() => {
    const initial: Record<number, PartitionGroup> = {};
    const last = servers.at(-1)?.myid;
    for (const s of Object.values(cluster.servers)) initial[s.myid] = cluster.groups?.[s.myid] ?? (s.myid === last ? 'B' : 'A');
    return initial;
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    controller?.partition(groups);
    onDone();
  };
  return (
    <form className="fault-form" aria-label="partition" onSubmit={submit}>
      <span className="dim">Frames between different sides are dropped; channels stay open.</span>
      {servers.map((s) => (
        <label key={s.myid} className="side-pick">
          server {s.myid}
          <select aria-label={`side of server ${s.myid}`} value={groups[s.myid] ?? 'A'} onChange={(e) => setGroups({ ...groups, [s.myid]: e.target.value as PartitionGroup })}>
            <option value="A">A</option>
            <option value="B">B</option>
            <option value="C">C</option>
          </select>
        </label>
      ))}
      <button type="submit" className="primary">
        Apply partition
      </button>
      <button type="button" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}

/** Slider changes wait this long for the next one before they are applied (and broadcast). */
const APPLY_AFTER_MS = 250;
export const LATENCY_MAX_MS = 2000;

/**
 * Per-link sliders: latency and loss of each direction of each link ("latency 1→2 (ms)" is what
 * server 1 sends to server 2), applied as they move. In multi-tab mode every tab applies them.
 */
export function LinkForm({ cluster, servers, onDone }: { cluster: ClusterState; servers: ClusterServer[]; onDone: () => void }) {
  const controller = useClusterController();
  const directions: Array<[ServerId, ServerId]> = [];
  for (const a of servers) for (const b of servers) if (a.myid !== b.myid) directions.push([a.myid, b.myid]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onDone();
  };
  return (
    <form className="fault-form link-sliders" aria-label="link faults" onSubmit={submit}>
      <span className="dim">Latency and loss of what one server sends another; a lost frame resets the connection.</span>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))', gap: '2px 16px', width: '100%' }}>
        {directions.map(([from, to]) => (
          <LinkSliders
            key={directedLinkKey(from, to)}
            from={from}
            to={to}
            setting={cluster.links[directedLinkKey(from, to)]}
            apply={(setting) => controller?.setLinkDirection(from, to, setting)}
          />
        ))}
      </div>
      <button type="submit" className="primary">
        Done
      </button>
    </form>
  );
}

function LinkSliders({ from, to, setting, apply }: { from: ServerId; to: ServerId; setting: LinkSetting | undefined; apply: (setting: LinkSetting | null) => void }) {
  const [draft, setDraft] = useState<LinkSetting | null>(null);
  const pending = useRef<{ timer: ReturnType<typeof setTimeout>; setting: LinkSetting } | null>(null);
  const applyRef = useRef(apply);
  applyRef.current = apply;
  const flush = () => {
    const p = pending.current;
    if (p === null) return;
    clearTimeout(p.timer);
    pending.current = null;
    applyRef.current(p.setting.latencyMs <= 0 && p.setting.lossProbability <= 0 ? null : p.setting);
    setDraft(null);
  };
  // Closing the form applies what was last slid.
  useEffect(() => () => flush(), []); // eslint-disable-line react-hooks/exhaustive-deps
  const shown = draft ?? setting ?? { latencyMs: 0, lossProbability: 0 };
  const change = (next: LinkSetting) => {
    setDraft(next);
    if (pending.current !== null) clearTimeout(pending.current.timer);
    pending.current = { setting: next, timer: setTimeout(flush, APPLY_AFTER_MS) };
  };
  const lossPercent = Math.round(shown.lossProbability * 100);
  return (
    <div className="link-slider-row">
      <label>
        {from}→{to} latency{' '}
        <input
          type="range"
          aria-label={`latency ${from}→${to} (ms)`}
          min={0}
          max={LATENCY_MAX_MS}
          step={10}
          value={shown.latencyMs}
          onChange={(e) => change({ ...shown, latencyMs: Number(e.target.value) })}
        />{' '}
        {shown.latencyMs} ms
      </label>{' '}
      <label>
        loss{' '}
        <input
          type="range"
          aria-label={`loss ${from}→${to} (%)`}
          min={0}
          max={100}
          step={1}
          value={lossPercent}
          onChange={(e) => change({ ...shown, lossProbability: Number(e.target.value) / 100 })}
        />{' '}
        {lossPercent}%
      </label>
    </div>
  );
}
