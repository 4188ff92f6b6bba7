// Feeds the trace recorder from the app store's event log: every event logged since the last look
// (by sequence number), so the recorder sees what the workers streamed without touching the
// controller. The app log drops pings before this, which the recorder wants too.
import type { AppStore } from '../store';
import { recordTraces, type TraceStore } from './trace-store';

export function recordFromAppStore(app: AppStore, trace: TraceStore): () => void {
  let lastSeq = 0;
  const take = () => {
    const events = app.getState().events;
    // The log is in seq order: the new events are its tail. Scanning back from the end costs the
    // new ones only, where a filter read the whole log (a thousand events) on every batch.
    let start = events.length;
    while (start > 0 && (events[start - 1] as { seq: number }).seq > lastSeq) start--;
    if (start === events.length) return;
    const fresh = events.slice(start);
    lastSeq = (fresh[fresh.length - 1] as { seq: number }).seq;
    recordTraces(trace, fresh.map((e) => e.event));
  };
  take();
  return app.subscribe((state, previous) => {
    if (state.events !== previous.events) take();
  });
}
