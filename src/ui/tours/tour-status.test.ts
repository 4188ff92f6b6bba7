import { describe, expect, it } from 'vitest';
import type { TourRunState } from './tour-runner';
import { statusText } from './tour-status';
import { TOUR_1 } from './tours';

const base: TourRunState = { stepIndex: 3, phase: 'running', activity: null, waitingFor: [], error: null, recorded: null, replayingTo: null };

describe('statusText', () => {
  it('says what the step does, then what it waits for', () => {
    expect(statusText({ ...base, activity: 'start server 3' }, TOUR_1, false)).toBe('Doing: start server 3');
    expect(statusText({ ...base, waitingFor: ['server 3 LEADING', 'server 1 FOLLOWING'] }, TOUR_1, false)).toBe('Waiting for: server 3 LEADING, server 1 FOLLOWING');
  });

  it('names the condition when done, and the end of the tour on the last step', () => {
    expect(statusText({ ...base, phase: 'done' }, TOUR_1, false)).toBe('Done: server 1 FOLLOWING, server 2 FOLLOWING, server 3 LEADING. Click Next step.');
    expect(statusText({ ...base, stepIndex: 5, phase: 'done' }, TOUR_1, true)).toMatch(/^Done: .*End of the tour/);
  });

  it('shows a failure and a replay in progress', () => {
    expect(statusText({ ...base, phase: 'failed', error: 'gave up waiting for server 3 LEADING' }, TOUR_1, false)).toBe('Failed: gave up waiting for server 3 LEADING');
    expect(statusText({ ...base, replayingTo: 4, waitingFor: ['server 4 FOLLOWING'] }, TOUR_1, false)).toBe(
      'Replaying to step 5 on a fresh cluster. Waiting for: server 4 FOLLOWING',
    );
  });
});
