// One server of the ensemble: its state word, epoch, last zxid, vote and the sessions connected to
// it, with its fault controls (kill / restart, freeze / unfreeze). In multi-tab mode a server of
// another tab is drawn from its tab's last report, marked stale when that report is old.
import { memo } from 'react';
import { hex } from '../../zk/types';
import { staleForMs, type ClusterServer } from '../cluster-model';
import { useClusterController } from './cluster-context';

/** What the card's state word says: the worker's state, or what the page knows better. */
export function stateWord(server: ClusterServer): string {
  if (server.life === 'killed') return 'KILLED';
  if (server.phase === 'failed') return 'FAILED';
  if (server.frozen) return 'FROZEN';
  if (server.status === null) return server.phase === 'waiting-for-lock' ? 'WAITING' : 'STARTING';
  return server.status.state;
}

/** "stale, last report 12:03:04 (4 s ago)". */
export function staleText(server: ClusterServer, nowMs: number): string | null {
  const ageMs = staleForMs(server, nowMs);
  if (ageMs === null || server.report === undefined) return null;
  const at = new Date(server.report.receivedAtMs).toTimeString().slice(0, 8);
  return `stale, last report ${at} (${Math.round(ageMs / 1000)} s ago)`;
}

/** Memoized: a card redraws only when its own server, place or clock changed, not for every status of another. */
export const ServerNode = memo(function ServerNode({
  server,
  left,
  top,
  width,
  nowMs = null,
}: {
  server: ClusterServer;
  left: number;
  top: number;
  width: number;
  nowMs?: number | null;
}) {
  const controller = useClusterController();
  const { myid, status } = server;
  const quorum = status?.quorum;
  const word = stateWord(server);
  const running = server.life === 'running';
  const staleNote = nowMs === null ? null : staleText(server, nowMs);
  const noReport = server.life === 'not-started' && nowMs !== null;
  const stale = !running || server.frozen || staleNote !== null;
  return (
    <div
      role="group"
      aria-label={`server ${myid}`}
      className={`node node-${word.toLowerCase()}${stale ? ' stale' : ''}`}
      // Contained: a card's changing facts re-lay out and repaint that card alone.
      style={{ left, top, width, contain: 'content' }}
      title={server.phaseDetail}
    >
      <div className="node-head">
        <span className="node-name">server {myid}</span>
        {server.role === 'observer' && <span className="badge">observer</span>}
        {controller?.tabs === true && controller.ownId === myid && <span className="badge">this tab</span>}
        <span className={`state-word state-${word.toLowerCase()}`}>{word}</span>
      </div>
      {staleNote !== null && <div className="node-note node-stale">{staleNote}</div>}
      {noReport && <div className="node-note">no report from its tab yet</div>}
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
        <Fact name="znodes" value={status === null ? '–' : String(status.nodeCount)} />
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
});

function Fact({ name, value }: { name: string; value: string }) {
  return (
    <div className="node-fact">
      <dt>{name}</dt>
      <dd>{value}</dd>
    </div>
  );
}
