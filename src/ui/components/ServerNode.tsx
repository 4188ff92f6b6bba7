// One server of the single-tab ensemble: its state word, epoch, last zxid, vote and the sessions
// connected to it, with its fault controls (kill / restart, freeze / unfreeze).
import { hex } from '../../zk/types';
import type { ClusterServer } from '../cluster-model';
import { useClusterController } from './cluster-context';

/** What the card's state word says: the worker's state, or what the page knows better. */
export function stateWord(server: ClusterServer): string {
  if (server.life === 'killed') return 'KILLED';
  if (server.phase === 'failed') return 'FAILED';
  if (server.frozen) return 'FROZEN';
  if (server.status === null) return server.phase === 'waiting-for-lock' ? 'WAITING' : 'STARTING';
  return server.status.state;
}

export function ServerNode({ server, left, top, width }: { server: ClusterServer; left: number; top: number; width: number }) {
  const controller = useClusterController();
  const { myid, status } = server;
  const quorum = status?.quorum;
  const word = stateWord(server);
  const running = server.life === 'running';
  const stale = !running || server.frozen;
  return (
    <div
      role="group"
      aria-label={`server ${myid}`}
      className={`node node-${word.toLowerCase()}${stale ? ' stale' : ''}`}
      style={{ left, top, width }}
      title={server.phaseDetail}
    >
      <div className="node-head">
        <span className="node-name">server {myid}</span>
        {server.role === 'observer' && <span className="badge">observer</span>}
        <span className={`state-word state-${word.toLowerCase()}`}>{word}</span>
      </div>
      {server.frozen && status !== null && <div className="node-note">paused while {status.state.toLowerCase()}</div>}
      {server.starts > 1 && server.recovery !== null && !server.frozen && (
        <div className="node-note">
          restarted: recovered {server.recovery.logEntries} log {server.recovery.logEntries === 1 ? 'entry' : 'entries'}
        </div>
      )}
      <dl className="node-facts">
        <Fact name="epoch" value={status === null ? '–' : String(status.epoch)} />
        <Fact name="last zxid" value={status === null ? '–' : hex(status.lastZxid)} />
        <Fact name="vote" value={quorum?.vote == null ? '–' : `${quorum.vote.leader} @ ${hex(quorum.vote.zxid)}`} />
        <Fact name="sessions" value={quorum === undefined ? '–' : String(quorum.connectedSessions)} />
      </dl>
      {controller !== null && (
        <div className="node-actions">
          {running ? (
            <>
              <button aria-label={`Kill server ${myid}`} onClick={() => controller.kill(myid)}>
                Kill
              </button>
              <button aria-label={`${server.frozen ? 'Unfreeze' : 'Freeze'} server ${myid}`} onClick={() => controller.setFrozen(myid, !server.frozen)}>
                {server.frozen ? 'Unfreeze' : 'Freeze'}
              </button>
            </>
          ) : (
            <button aria-label={`Restart server ${myid}`} onClick={() => controller.start(myid)}>
              Restart
            </button>
          )}
        </div>
      )}
    </div>
  );
}

function Fact({ name, value }: { name: string; value: string }) {
  return (
    <div className="node-fact">
      <dt>{name}</dt>
      <dd>{value}</dd>
    </div>
  );
}
