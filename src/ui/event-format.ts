// One line of text per trace event for the event log, and the category its filter uses.
import { hex } from '../zk/types';
import type { TraceEvent } from '../zk/trace';

export type EventCategory = 'txn' | 'session' | 'watch' | 'storage' | 'request' | 'quorum' | 'traffic' | 'warn';
export const EVENT_CATEGORIES: readonly EventCategory[] = ['txn', 'session', 'watch', 'storage', 'request', 'quorum', 'traffic', 'warn'];

export function eventCategory(event: TraceEvent): EventCategory {
  switch (event.type) {
    case 'txn':
    case 'applied':
    case 'proposal':
    case 'commit':
      return 'txn';
    case 'session.created':
    case 'session.closed':
    case 'session.connected':
    case 'session.disconnected':
      return 'session';
    case 'watch.set':
    case 'watch.fired':
    case 'watch.removed':
      return 'watch';
    case 'log.append':
    case 'log.durable':
    case 'snapshot':
    case 'recovered':
      return 'storage';
    case 'request':
    case 'reply':
      return 'request';
    case 'warn':
      return 'warn';
    // Every peer message and vote: drawn in the cluster view, listed only when asked for.
    case 'msg.sent':
    case 'msg.received':
    case 'msg.dropped':
    case 'vote.sent':
    case 'vote.received':
      return 'traffic';
    default:
      return 'quorum';
  }
}

export function eventSummary(event: TraceEvent): string {
  switch (event.type) {
    case 'request':
      return `${hex(event.sessionId)} #${event.cxid} ${event.op}${event.path === undefined ? '' : ' ' + event.path}`;
    case 'reply':
      return `${hex(event.sessionId)} #${event.cxid} ${event.op} zxid ${hex(event.zxid)}${event.err === 0 ? '' : ` err ${event.err}`}`;
    case 'txn':
      return `${hex(event.zxid)} ${event.op}${event.path === undefined ? '' : ' ' + event.path} by ${hex(event.sessionId)}${event.err === undefined ? '' : ` err ${event.err}`}`;
    case 'applied':
      return `${hex(event.zxid)} ${event.op} ${event.paths.join(' ')}`;
    case 'session.created':
      return `${hex(event.sessionId)} timeout ${event.timeoutMs} ms`;
    case 'session.closed':
      return `${hex(event.sessionId)} ${event.reason}`;
    case 'session.connected':
      return `${hex(event.sessionId)} on connection ${event.connection}${event.reconnect ? ' (reconnect)' : ''}`;
    case 'session.disconnected':
      return `${hex(event.sessionId)} from connection ${event.connection}`;
    case 'watch.set':
    case 'watch.removed':
      return `${event.kind} ${event.path} for ${hex(event.sessionId)}`;
    case 'watch.fired':
      return `${event.event} ${event.path} -> ${hex(event.sessionId)} (${event.kind}) at ${hex(event.zxid)}`;
    case 'log.append':
      return `${event.count} txn${event.count === 1 ? '' : 's'} ${hex(event.fromZxid)}..${hex(event.toZxid)}`;
    case 'log.durable':
      return `durable to ${hex(event.toZxid)}`;
    case 'snapshot':
      return `at ${hex(event.zxid)}`;
    case 'recovered':
      return `to ${hex(event.zxid)}, ${event.txnsReplayed} txns replayed`;
    case 'warn':
      return event.message;
    case 'state':
      return `${event.from} -> ${event.to} (epoch ${event.epoch})`;
    case 'msg.sent':
      return `${event.kind} -> ${event.to}${event.zxid === undefined ? '' : ` ${hex(event.zxid)}`} (${event.bytes} B)`;
    case 'msg.received':
      return `${event.kind} <- ${event.from}${event.zxid === undefined ? '' : ` ${hex(event.zxid)}`} (${event.bytes} B)`;
    case 'msg.dropped':
      return `from ${event.from}: ${event.reason}`;
    case 'vote.sent':
      return `-> ${event.to}: leader ${event.leader} zxid ${hex(event.zxid)} epoch ${event.electionEpoch}/${event.peerEpoch}`;
    case 'vote.received':
      return `<- ${event.from} (${event.state}): leader ${event.leader} zxid ${hex(event.zxid)} epoch ${event.electionEpoch}/${event.peerEpoch}`;
    case 'ack':
      return `${hex(event.zxid)} from ${event.from}`;
    case 'commit':
    case 'proposal':
      return 'op' in event ? `${hex(event.zxid)} ${event.op}` : hex(event.zxid);
    case 'sync.mode':
      return `${event.mode} to ${event.learner}: ${hex(event.fromZxid)}..${hex(event.toZxid)}`;
    default:
      return JSON.stringify(event, (_key, value: unknown) => (typeof value === 'bigint' ? hex(value) : value));
  }
}

/** "23:41:07.123" in the page's time zone. */
export function clockTime(atMs: number): string {
  const d = new Date(atMs);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
