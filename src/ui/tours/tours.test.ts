// The two tours as data: well-formed, and shaped as seed scenarios 1 and 2 of docs/zookeeper.md.
import { describe, expect, it } from 'vitest';
import { validateTour, type TourAction } from './tour-model';
import { TOUR_1, TOUR_2, TOURS, tourById } from './tours';

const starts = (actions: TourAction[]) => actions.filter((a) => a.kind === 'start').map((a) => (a as { myid: number }).myid);

describe('tours', () => {
  it('are valid five-server tours of six steps that begin with nothing running', () => {
    for (const tour of TOURS) {
      expect(() => validateTour(tour)).not.toThrow();
      expect(tour.size).toBe(5);
      expect(tour.steps).toHaveLength(6);
      expect(tour.steps[0]).toMatchObject({ actions: [], done: { kind: 'none-running' } });
      for (const step of tour.steps) expect(step.explanation.length).toBeGreaterThan(80);
    }
    expect(tourById(1)).toBe(TOUR_1);
    expect(tourById(2)).toBe(TOUR_2);
  });

  it('tour 1 starts one server per step, 1..5, and ends with 3 leading', () => {
    expect(TOUR_1.steps.map((s) => starts(s.actions))).toEqual([[], [1], [2], [3], [4], [5]]);
    expect(TOUR_1.steps[3]!.explanation).toContain('highest sid among the quorum, 3, wins');
    expect(JSON.stringify(TOUR_1.steps[5]!.done)).toContain('"myid":3,"state":"LEADING"');
  });

  it('tour 2 cuts server 4 off before the last write, then kills 3 and 5 and heals at once', () => {
    const kinds = TOUR_2.steps.map((s) => s.actions.map((a) => a.kind));
    const isolate = kinds.findIndex((k) => k.includes('isolate'));
    const lastWrite = kinds.findIndex((k) => k.includes('write'));
    expect(isolate).toBeGreaterThan(kinds.findIndex((k) => k.includes('write-until')));
    expect(lastWrite).toBeGreaterThan(isolate);
    expect(TOUR_2.steps[5]!.actions).toEqual([
      { kind: 'record-tuples', myids: [1, 2, 4] },
      { kind: 'kill', myid: 3 },
      { kind: 'kill', myid: 5 },
      { kind: 'heal' },
    ]);
  });
});
