// Feeds the trace recorder from the app store's event log: every event logged since the last look
// (by sequence number), so the recorder sees what the workers streamed without touching the
// controller. The app log drops pings before this, which the recorder wants too.
import type { AppStore } from '../store';
import { recordTraces, type TraceStore } from './trace-store';

export function recordFromAppStore(app: AppStore, trace: TraceStore): () => void {
  let lastSeq = 0;
  const take = () => {
    const events = app.getState().events;
    const fresh = events.filter((e) => e.seq > lastSeq);
    if (fresh.length === 0) return;
    lastSeq = (fresh[fresh.length - 1] as { seq: number }).seq;
    recordTraces(trace, fresh.map((e) => e.event));
  };
  take();
  return app.subscribe((state, previous) => {
    if (state.events !== previous.events) take();
  });
}
