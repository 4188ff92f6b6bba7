// Guided tours: the header's "Guided tours" menu opens a fresh run of a tour; the tour panel shows
// the current step (counter, explanation, live status) with Next step / Back / Replay tour, and
// what the servers report as (epoch, zxid, sid). Steps act on the real servers of this tab.
import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { electionModel } from '../trace/election-model';
import { electionBase } from './ElectionView';
import { tupleText, voteTuples, type Tour } from '../tours/tour-model';
import { statusText } from '../tours/tour-status';
import { useTourRunner } from '../tours/tour-context';
import type { TourRunner, TourRunState } from '../tours/tour-runner';
import { tourClusterName, tourTickTimeMs, tourUrl } from '../tours/tour-url';
import { TOURS } from '../tours/tours';
import { useAppState } from './store-context';
import { useTraceModel } from './trace-context';

const VOTERS = [1, 2, 3, 4, 5];

/** The header control: a button that opens the list of tours. */
export function TourMenu() {
  const params = useAppState((s) => s.params);
  const runner = useTourRunner();
  const [open, setOpen] = useState(false);
  const begin = (tour: Tour) => {
    const url = tourUrl({
      tour: tour.id,
      step: 1,
      cluster: tourClusterName(tour.id, Date.now().toString(36)),
      tickTimeMs: tourTickTimeMs(params),
      wipeCluster: runner === null ? null : params.identity.cluster,
    });
    window.location.assign(url);
  };
  return (
    <span className="tour-menu" style={{ position: 'relative' }}>
      <button className="mode-button" aria-expanded={open} aria-haspopup="true" onClick={() => setOpen((o) => !o)}>
        Guided tours
      </button>
      {open && (
        <span role="group" aria-label="tours" className="panel" style={{ position: 'absolute', right: 0, top: '110%', zIndex: 20, padding: 6, gap: 4, width: 360 }}>
          {TOURS.map((tour) => (
            <button key={tour.id} onClick={() => begin(tour)} title={tour.summary} style={{ textAlign: 'left' }}>
              {tour.name}
            </button>
          ))}
        </span>
      )}
    </span>
  );
}

/** The panel of the tour this page runs; nothing when the page is not a tour run. */
export function TourPanel() {
  const runner = useTourRunner();
  return runner === null ? null : <TourPanelBody runner={runner} />;
}

function TourPanelBody({ runner }: { runner: TourRunner }) {
  const run = useStore(runner.state);
  const tour = runner.tour;
  const step = tour.steps[run.stepIndex];
  const last = run.stepIndex === tour.steps.length - 1;
  const busy = run.phase === 'running';
  if (step === undefined) return null;
  return (
    <section role="region" aria-label="guided tour" className="panel tour-panel" style={{ margin: '6px 12px', padding: '0 0 8px 0' }}>
      <header className="panel-head">
        <h2>{tour.name}</h2>
        <span className="spacer" />
        <span className="tag">
          Step {run.stepIndex + 1} of {tour.steps.length}
        </span>
      </header>
      <div style={{ padding: '6px 10px' }}>
        <h3 style={{ margin: '2px 0 4px', fontSize: 14 }}>{step.title}</h3>
        <p style={{ margin: '0 0 6px', lineHeight: 1.4, fontSize: 13, maxHeight: 110, overflowY: 'auto' }}>{step.explanation}</p>
        <p role="status" aria-label="step status" className={`tour-status tour-${run.phase}`} style={{ margin: '0 0 6px' }}>
          {statusText(run, tour, last)}
        </p>
        <ReportedTuples recorded={run} />
        {tour.id === 2 && last && run.phase === 'done' && <ElectionOutcome />}
        <div style={{ display: 'flex', gap: 8 }}>
          <TourButton onClick={() => runner.back()} disabled={busy || run.stepIndex === 0}>
            Back
          </TourButton>
          <TourButton primary onClick={() => void runner.next()} disabled={busy || run.phase !== 'done' || last}>
            Next step
          </TourButton>
          <TourButton onClick={() => runner.replay()} disabled={busy}>
            Replay tour
          </TourButton>
        </div>
      </div>
    </section>
  );
}

function TourButton({ primary = false, disabled, onClick, children }: { primary?: boolean; disabled: boolean; onClick: () => void; children: string }) {
  return (
    <button className={primary ? 'mode-button' : undefined} onClick={onClick} disabled={disabled} style={{ opacity: disabled ? 0.45 : 1, cursor: disabled ? 'default' : 'pointer' }}>
      {children}
    </button>
  );
}

/** (epoch, zxid, sid) as the servers report them now, and as noted before a failure. */
function ReportedTuples({ recorded }: { recorded: TourRunState }) {
  const cluster = useAppState((s) => s.cluster);
  const live = useMemo(() => (cluster === null ? [] : voteTuples(cluster, VOTERS)), [cluster]);
  return (
    <div className="mono dim" style={{ margin: '0 0 6px', fontSize: 12 }}>
      <div aria-label="reported tuples">
        (epoch, zxid, sid) as reported now: {live.length === 0 ? 'no server running' : live.map((t) => `server ${t.myid} ${tupleText(t)}`).join(' · ')}
      </div>
      {recorded.recorded !== null && (
        <div aria-label="tuples before the failure">
          before the failure: {recorded.recorded.map((t) => `server ${t.myid} ${tupleText(t)}`).join(' · ')}
        </div>
      )}
    </div>
  );
}

/** The newest election round as the Election view shows it: winner and the "beats" reasons. */
function ElectionOutcome() {
  const rounds = useTraceModel(electionModel, electionBase);
  const round = useMemo(() => rounds.filter((r) => r.winner !== null).at(-1) ?? null, [rounds]);
  if (round === null) return null;
  return (
    <div aria-label="election outcome" style={{ margin: '0 0 6px', fontSize: 12 }}>
      Election view, round {round.electionEpoch}: leader {round.winner}. {round.reasons.join('; ')}
    </div>
  );
}
