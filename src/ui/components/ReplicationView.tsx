// Replication: the leader's recent proposals with ACKs against the quorum, each server's commit
// point, and the sync mode of each learner's (re)join.
import { hex } from '../../zk/types';
import { quorumOf, replicationModel } from '../trace/replication-model';
import { useAppState } from './store-context';
import { useTraceModel } from './trace-context';

export function ReplicationView() {
  const voters = useAppState((s) => s.params.size);
  const view = useTraceModel(replicationModel, (s) => s.summaries?.replication);
  const quorum = quorumOf(voters);
  const outstanding = view.proposals.filter((p) => !p.committed).length;
  return (
    <section className="panel analysis" aria-label="replication">
      <header className="panel-head">
        <h2>replication</h2>
        <span className="dim">
          leader {view.leader ?? '–'} · quorum {quorum} of {voters} · {outstanding} outstanding
        </span>
      </header>
      <div className="analysis-body analysis-columns">
        <div>
          <h3>proposals</h3>
          <table className="mono grid-table" aria-label="proposals">
            <thead>
              <tr>
                <th>zxid</th>
                <th>acks</th>
                <th>state</th>
              </tr>
            </thead>
            <tbody>
              {view.proposals.map((p) => (
                <tr key={p.zxid.toString()}>
                  <td>{hex(p.zxid)}</td>
                  <td title={`from ${p.acks.join(', ')}`}>
                    {p.acks.length}/{quorum}
                  </td>
                  <td>{p.committed ? 'committed' : 'outstanding'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h3>commit points</h3>
          <table className="mono grid-table" aria-label="commit points">
            <tbody>
              {Object.entries(view.commitPoints).map(([myid, zxid]) => (
                <tr key={myid}>
                  <td>server {myid}</td>
                  <td>{hex(zxid)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>learner syncs</h3>
          <table className="mono grid-table" aria-label="learner syncs">
            <thead>
              <tr>
                <th>learner</th>
                <th>leader</th>
                <th>mode</th>
                <th>from → to</th>
              </tr>
            </thead>
            <tbody>
              {[...view.syncs].reverse().map((s, i) => (
                <tr key={i}>
                  <td>server {s.learner}</td>
                  <td>{s.leader}</td>
                  <td>{s.source === null ? s.mode : `${s.mode} (from ${s.source === 'disk' ? 'txn log on disk' : 'committed log'})`}</td>
                  <td>
                    {hex(s.fromZxid)} → {hex(s.toZxid)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
