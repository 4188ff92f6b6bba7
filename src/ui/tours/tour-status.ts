// The tour panel's live status line: what the step is doing, what it waits for, done or failed.
import { conditionText, type Tour } from './tour-model';
import type { TourRunState } from './tour-runner';

export function statusText(run: TourRunState, tour: Tour, last: boolean): string {
  const step = tour.steps[run.stepIndex];
  const replay = run.replayingTo !== null ? `Replaying to step ${run.replayingTo + 1} on a fresh cluster. ` : '';
  if (run.phase === 'failed') return `${replay}Failed: ${run.error ?? 'unknown error'}`;
  if (run.phase === 'running') {
    if (run.activity !== null) return `${replay}Doing: ${run.activity}`;
    if (run.waitingFor.length > 0) return `${replay}Waiting for: ${run.waitingFor.join(', ')}`;
    return `${replay}Running`;
  }
  const done = `Done: ${step === undefined ? '' : conditionText(step.done)}.`;
  return last ? `${done} End of the tour: Replay tour starts again from a clean cluster.` : `${done} Click Next step.`;
}
