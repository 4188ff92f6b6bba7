// Time travel over the recorded trace: a slider picks a point, the servers are shown as they were
// there. Export downloads the trace as JSON; import loads one and shows it without a cluster.
import { useMemo, useRef, useState, type ChangeEvent } from 'react';
import { hex } from '../../zk/types';
import { clockTime } from '../event-format';
import { serversAt, timelineModel } from '../trace/timeline-model';
import { traceFromJson, traceToJson } from '../trace/trace-json';
import { loadTrace, resumeLive } from '../trace/trace-store';
import { useTraceModel, useTraceState, useTraceStore } from './trace-context';

export function TimelineView() {
  const store = useTraceStore();
  const events = useTraceState((s) => s.events);
  const baseline = useTraceState((s) => s.baseline);
  const compacted = useTraceState((s) => s.compacted);
  const source = useTraceState((s) => s.source);
  // Following the newest event (the usual case) folds only what was appended since the last update.
  const live = useTraceModel(timelineModel, (s) => s.baseline);
  /** null follows the newest event. */
  const [position, setPosition] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const at = position === null ? events.length : Math.min(position, events.length);
  const scrubbed = useMemo(() => (position === null ? null : serversAt(baseline, events, at)), [position, baseline, events, at]);
  const servers = scrubbed ?? live;
  const atEvent = at > 0 ? events[at - 1] : undefined;
  return (
    <section className="panel analysis" aria-label="timeline">
      <header className="panel-head">
        <h2>timeline</h2>
        <span className="dim">
          {source === 'imported' ? 'imported trace' : 'live'} · {events.length} events{compacted > 0 ? ` (${compacted} older compacted)` : ''}
        </span>
        <span className="spacer" />
        <TraceFileButtons onError={setError} onLoaded={() => setPosition(null)} />
        {source === 'imported' && (
          <button onClick={() => resumeLive(store)} title="drop the imported trace and record the running servers again">
            Back to live
          </button>
        )}
      </header>
      <div className="analysis-body">
        {error !== null && <p role="alert">{error}</p>}
        <label className="timeline-slider">
          <input
            type="range"
            aria-label="Timeline position"
            min={0}
            max={events.length}
            value={at}
            onChange={(e) => {
              const value = Number(e.target.value);
              setPosition(value >= events.length ? null : value);
            }}
          />
          <span className="mono">
            {at}/{events.length} {atEvent === undefined ? '' : `· ${clockTime(atEvent.atMs)} · s${atEvent.server} ${atEvent.type}`}
          </span>
        </label>
        <table className="mono grid-table" aria-label="servers at this point">
          <thead>
            <tr>
              <th>server</th>
              <th>state</th>
              <th>epoch</th>
              <th>zxid</th>
            </tr>
          </thead>
          <tbody>
            {servers.map((s) => (
              <tr key={s.myid} aria-label={`server ${s.myid} at this point`}>
                <td>server {s.myid}</td>
                <td>{s.state}</td>
                <td>{s.epoch}</td>
                <td>{hex(s.zxid)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function TraceFileButtons({ onError, onLoaded }: { onError: (message: string | null) => void; onLoaded: () => void }) {
  const store = useTraceStore();
  const inputRef = useRef<HTMLInputElement>(null);
  const exportTrace = () => {
    const json = traceToJson(store.getState().events, Date.now());
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `zootabs-trace-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  const importTrace = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file === undefined) return;
    try {
      loadTrace(store, traceFromJson(await file.text()));
      onError(null);
      onLoaded();
    } catch (error) {
      onError(`could not import ${file.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return (
    <>
      <button onClick={exportTrace}>Export trace</button>
      <button onClick={() => inputRef.current?.click()}>Import trace</button>
      <input ref={inputRef} type="file" accept="application/json,.json" aria-label="Import trace file" hidden onChange={importTrace} />
    </>
  );
}
