// The card of this tab's server: its state word, epoch, last zxid and counts, as the worker reports.
import { hex } from '../../zk/types';
import { useAppState } from './store-context';

export function ServerCard() {
  const myid = useAppState((s) => s.params.identity.myid);
  const status = useAppState((s) => s.status);
  const phase = useAppState((s) => s.phase);
  const phaseDetail = useAppState((s) => s.phaseDetail);
  const recovery = useAppState((s) => s.recovery);
  const state = status?.state ?? (phase === 'failed' ? 'FAILED' : 'STARTING');
  return (
    <section role="group" aria-label={`server ${myid}`} className="server-card">
      <header className="server-card-head">
        <span className="server-name">server {myid}</span>
        <span className={`state-word state-${state.toLowerCase()}`} aria-label="state">
          {state}
        </span>
      </header>
      <dl className="facts">
        <Fact name="epoch" value={status === null ? '–' : String(status.epoch)} />
        <Fact name="last zxid" value={status === null ? '–' : hex(status.lastZxid)} />
        <Fact name="sessions" value={status === null ? '–' : String(status.sessionCount)} />
        <Fact name="znodes" value={status === null ? '–' : String(status.nodeCount)} />
        <Fact name="watches" value={status === null ? '–' : String(status.watchCount)} />
        <Fact name="connections" value={status === null ? '–' : String(status.connectionCount)} />
      </dl>
      <p className={`phase phase-${phase}`} title={phaseDetail}>
        {phaseDetail}
      </p>
      {recovery !== null && (
        <p className="recovery">
          recovered: {recovery.snapshotZxid === null ? 'no snapshot' : `snapshot ${hex(recovery.snapshotZxid)}`}, {recovery.logEntries} log{' '}
          {recovery.logEntries === 1 ? 'entry' : 'entries'}
        </p>
      )}
    </section>
  );
}

function Fact({ name, value }: { name: string; value: string }) {
  return (
    <div className="fact">
      <dt>{name}</dt>
      <dd>{value}</dd>
    </div>
  );
}
