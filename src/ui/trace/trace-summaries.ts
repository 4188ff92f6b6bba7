// What the recorder keeps of the events it compacted away: each view model's folded state at the
// cut (bounded by the model's own caps), so the Election, Replication, Sessions and Charts views
// go on showing old rounds, commit points, sessions, syncs and elections after their raw events are
// dropped. The Timeline keeps its own baseline (ServerPoint per server, src/ui/trace/timeline-model.ts).
import type { TraceEvent } from '../../zk/trace';
import { chartModel, type ChartState } from './chart-model';
import { electionModel, type ElectionState } from './election-model';
import { replicationModel, type ReplicationState } from './replication-model';
import { sessionsModel, type SessionsState } from './sessions-model';

export interface TraceSummaries {
  election: ElectionState;
  replication: ReplicationState;
  sessions: SessionsState;
  charts: ChartState;
}

/** Folds `events` into a copy of `from` (undefined: nothing folded yet); `from` is left as it was. */
export function foldSummaries(from: TraceSummaries | undefined, events: readonly TraceEvent[]): TraceSummaries {
  const out: TraceSummaries = {
    election: from === undefined ? electionModel.empty() : electionModel.clone(from.election),
    replication: from === undefined ? replicationModel.empty() : replicationModel.clone(from.replication),
    sessions: from === undefined ? sessionsModel.empty() : sessionsModel.clone(from.sessions),
    charts: from === undefined ? chartModel.empty() : chartModel.clone(from.charts),
  };
  electionModel.fold(out.election, events, 0);
  replicationModel.fold(out.replication, events, 0);
  sessionsModel.fold(out.sessions, events, 0);
  chartModel.fold(out.charts, events, 0);
  return out;
}
