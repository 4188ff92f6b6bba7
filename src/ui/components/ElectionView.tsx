// Election rounds: per round the notifications as (epoch, zxid, sid), whom each server votes for
// in the end, the winner and the FLE comparison that made it win.
import { useMemo } from 'react';
import { electionModel, tupleText, type ElectionRound } from '../trace/election-model';
import type { TraceState } from '../trace/trace-store';
import { useTraceModel } from './trace-context';

const ROUNDS_SHOWN = 8;
const NOTIFICATIONS_SHOWN = 60;

export function ElectionView() {
  const all = useTraceModel(electionModel, electionBase);
  const rounds = useMemo(() => all.slice(-ROUNDS_SHOWN).reverse(), [all]);
  return (
    <section className="panel analysis" aria-label="election">
      <header className="panel-head">
        <h2>election rounds</h2>
        <span className="dim">vote order: higher epoch, then higher zxid, then higher sid</span>
      </header>
      <div className="analysis-body">
        {rounds.length === 0 && <p className="dim">no election notifications recorded yet</p>}
        {rounds.map((round) => (
          <Round key={round.electionEpoch} round={round} />
        ))}
      </div>
    </section>
  );
}

/** Rounds whose notifications were compacted away are still shown, from the recorder's summary. */
export const electionBase = (s: TraceState) => s.summaries?.election;

function Round({ round }: { round: ElectionRound }) {
  return (
    <article className="round" aria-label={`election round ${round.electionEpoch}`}>
      <h3>
        round {round.electionEpoch} · {round.winner === null ? 'no winner' : `leader ${round.winner}`}
      </h3>
      <ul className="reasons">
        {round.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
      <p className="votes mono">
        {Object.entries(round.finalVotes).map(([from, leader]) => (
          <span key={from} className="vote-chip">
            {from} → {leader}
          </span>
        ))}
      </p>
      <details>
        <summary>{round.notifications.length} notifications (epoch, zxid, sid)</summary>
        <table className="mono grid-table">
          <thead>
            <tr>
              <th>from</th>
              <th>to</th>
              <th>vote</th>
            </tr>
          </thead>
          <tbody>
            {round.notifications.slice(-NOTIFICATIONS_SHOWN).map((n, i) => (
              <tr key={i}>
                <td>{n.from}</td>
                <td>{n.to}</td>
                <td>{tupleText(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </article>
  );
}
