// The fault forms of the cluster view: a partition (a side per server, then apply) and one link's
// latency and loss.
import { useState, type FormEvent } from 'react';
import type { ServerId } from '../../zk/types';
import { linkKey, type ClusterServer, type ClusterState, type PartitionGroup } from '../cluster-model';
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

export function LinkForm({ cluster, servers, onDone }: { cluster: ClusterState; servers: ClusterServer[]; onDone: () => void }) {
  const controller = useClusterController();
  const pairs: Array<[ServerId, ServerId]> = [];
  for (let i = 0; i < servers.length; i++) for (let j = i + 1; j < servers.length; j++) pairs.push([servers[i]!.myid, servers[j]!.myid]);
  const [pair, setPair] = useState(pairs[0] === undefined ? '' : linkKey(...pairs[0]));
  const current = cluster.links[pair];
  const [latencyMs, setLatencyMs] = useState(String(current?.latencyMs ?? 200));
  const [lossPercent, setLossPercent] = useState(String(Math.round((current?.lossProbability ?? 0) * 100)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const [a, b] = pair.split('-').map(Number);
    const latency = Number(latencyMs);
    const loss = Number(lossPercent);
    if (a === undefined || b === undefined || !(latency >= 0 && latency <= 10_000) || !(loss >= 0 && loss <= 100)) return;
    controller?.setLink(a, b, { latencyMs: latency, lossProbability: loss / 100 });
    onDone();
  };
  return (
    <form className="fault-form" aria-label="link faults" onSubmit={submit}>
      <label>
        link
        <select aria-label="link" value={pair} onChange={(e) => setPair(e.target.value)}>
          {pairs.map(([a, b]) => (
            <option key={linkKey(a, b)} value={linkKey(a, b)}>
              {a} ↔ {b}
            </option>
          ))}
        </select>
      </label>
      <label>
        latency
        <input aria-label="latency ms" type="number" min={0} max={10000} step={10} value={latencyMs} onChange={(e) => setLatencyMs(e.target.value)} />
        ms
      </label>
      <label>
        loss
        <input aria-label="loss percent" type="number" min={0} max={100} step={1} value={lossPercent} onChange={(e) => setLossPercent(e.target.value)} />%
      </label>
      <button type="submit" className="primary">
        Set link
      </button>
      <button type="button" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}
