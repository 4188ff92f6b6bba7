// Election rounds: per round the notifications as (epoch, zxid, sid), whom each server votes for
// in the end, the winner and the FLE comparison that made it win.
import { useMemo } from 'react';
import { electionRounds, tupleText, type ElectionRound } from '../trace/election-model';
import { useTraceState } from './trace-context';

const ROUNDS_SHOWN = 8;
const NOTIFICATIONS_SHOWN = 60;

export function ElectionView() {
  const events = useTraceState((s) => s.events);
  const rounds = useMemo(() => electionRounds(events).slice(-ROUNDS_SHOWN).reverse(), [events]);
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
