// The stream of trace events from the server: txns, sessions, watches, storage, with filters.
import { useMemo, useState } from 'react';
import { clockTime, EVENT_CATEGORIES, eventCategory, eventSummary, type EventCategory } from '../event-format';
import type { LoggedEvent } from '../store';
import { useAppState, useThrottledAppState } from './store-context';
import { VirtualLog } from './VirtualLog';

/** Every row has this height (styles.css `.event`), so the log can mount only the rows in view. */
export const EVENT_ROW_HEIGHT_PX = 18;
/**
 * The log redraws at most this often: under load the servers log thousands of events a second, and
 * redrawing hundreds of rows per batch costs frames while nobody reads that fast.
 */
export const EVENT_LOG_REFRESH_MS = 250;
/** Request/reply lines are every read the tree makes, traffic every peer message: off unless asked for. */
const DEFAULT_HIDDEN: ReadonlySet<EventCategory> = new Set(['request', 'traffic']);

function renderEvent({ seq, event }: LoggedEvent) {
  return (
    <div key={seq} className={`event cat-${eventCategory(event)}`}>
      <span className="ev-time">{clockTime(event.atMs)}</span>
      <span className="ev-type">{event.type}</span>
      <span className="ev-text">{eventSummary(event)}</span>
    </div>
  );
}

/** With several servers in the tab, each line says which one it came from. */
function renderClusterEvent({ seq, event }: LoggedEvent) {
  return (
    <div key={seq} className={`event cat-${eventCategory(event)}`}>
      <span className="ev-time">{clockTime(event.atMs)}</span>
      <span className="ev-type">
        <span className="ev-server">s{event.server} </span>
        {event.type}
      </span>
      <span className="ev-text">{eventSummary(event)}</span>
    </div>
  );
}

export function EventLog() {
  const events = useThrottledAppState((s) => s.events, EVENT_LOG_REFRESH_MS);
  const simulate = useAppState((s) => s.params.mode !== 'standalone');
  const [hidden, setHidden] = useState<ReadonlySet<EventCategory>>(DEFAULT_HIDDEN);
  const shown = useMemo(() => events.filter((e) => !hidden.has(eventCategory(e.event))), [events, hidden]);

  const toggle = (category: EventCategory) =>
    setHidden((now) => {
      const next = new Set(now);
      if (next.has(category)) next.delete(category);
      else next.add(category);
      return next;
    });

  return (
    <section className="panel events" aria-label="events">
      <header className="panel-head">
        <h2>events</h2>
        <div className="chips" role="group" aria-label="event filters">
          {EVENT_CATEGORIES.map((c) => (
            <button key={c} className={`chip cat-${c}`} aria-pressed={!hidden.has(c)} onClick={() => toggle(c)}>
              {c}
            </button>
          ))}
        </div>
      </header>
      <VirtualLog items={shown} renderItem={simulate ? renderClusterEvent : renderEvent} rowHeightPx={EVENT_ROW_HEIGHT_PX} className="event-log mono" ariaLabel="event log" />
    </section>
  );
}
