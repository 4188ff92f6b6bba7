// One readable line per trace event or host note: "   1234ms s1  applied 0x5 create /a".
import type { TraceEvent } from '../zk/trace';

export function formatTime(atMs: number): string {
  return `${String(atMs).padStart(7)}ms`;
}

export function formatLine(atMs: number, who: string, text: string): string {
  return `${formatTime(atMs)} ${who.padEnd(5)} ${text}`;
}

export function formatTrace(event: TraceEvent): string {
  return formatLine(event.atMs, `s${event.server}`, describeTrace(event));
}

function z(value: bigint): string {
  return '0x' + BigInt.asUintN(64, value).toString(16);
}

export function describeTrace(e: TraceEvent): string {
  switch (e.type) {
    case 'request':
      return `request ${z(e.sessionId)}#${e.cxid} ${e.op}${e.path === undefined ? '' : ' ' + e.path}`;
    case 'reply':
      return `reply ${z(e.sessionId)}#${e.cxid} ${e.op} zxid=${z(e.zxid)} err=${e.err}`;
    case 'txn':
      return `txn ${z(e.zxid)} ${e.op}${e.path === undefined ? '' : ' ' + e.path}${e.err === undefined ? '' : ' err=' + e.err} (session ${z(e.sessionId)})`;
    case 'applied':
      return `applied ${z(e.zxid)} ${e.op} ${e.paths.join(',')}`;
    case 'session.created':
      return `session ${z(e.sessionId)} created, timeout ${e.timeoutMs}ms`;
    case 'session.closed':
      return `session ${z(e.sessionId)} closed (${e.reason})`;
    case 'session.connected':
      return `session ${z(e.sessionId)} on connection ${e.connection}${e.reconnect ? ' (reconnect)' : ''}`;
    case 'session.disconnected':
      return `session ${z(e.sessionId)} left connection ${e.connection}`;
    case 'watch.set':
      return `watch set ${e.kind} ${e.path} by ${z(e.sessionId)}`;
    case 'watch.fired':
      return `watch fired ${e.event} ${e.path} zxid=${z(e.zxid)} to ${z(e.sessionId)}`;
    case 'watch.removed':
      return `watch removed ${e.kind} ${e.path} of ${z(e.sessionId)}`;
    case 'log.append':
      return `log.append ${z(e.fromZxid)}..${z(e.toZxid)} (${e.count})`;
    case 'log.durable':
      return `log.durable ${z(e.toZxid)}`;
    case 'snapshot':
      return `snapshot ${z(e.zxid)}`;
    case 'recovered':
      return `recovered to ${z(e.zxid)} (${e.txnsReplayed} txns replayed)`;
    case 'warn':
      return `WARN ${e.message}`;
    case 'state':
      return `state ${e.from} -> ${e.to} epoch ${e.epoch}`;
    case 'vote.sent':
      return `vote to s${e.to}: leader s${e.leader} zxid=${z(e.zxid)} epoch ${e.electionEpoch}/${e.peerEpoch}`;
    case 'vote.received':
      return `vote from s${e.from} (${e.state}): leader s${e.leader} zxid=${z(e.zxid)} epoch ${e.electionEpoch}/${e.peerEpoch}`;
    case 'msg.sent':
      return `send ${e.kind} to s${e.to}${e.zxid === undefined ? '' : ' ' + z(e.zxid)} (${e.bytes}B)`;
    case 'msg.received':
      return `recv ${e.kind} from s${e.from}${e.zxid === undefined ? '' : ' ' + z(e.zxid)} (${e.bytes}B)`;
    case 'msg.dropped':
      return `dropped from s${e.from}: ${e.reason}`;
    case 'proposal':
      return `proposal ${z(e.zxid)} ${e.op}`;
    case 'ack':
      return `ack ${z(e.zxid)} from s${e.from}`;
    case 'commit':
      return `commit ${z(e.zxid)}`;
    case 'sync.mode':
      return `sync s${e.learner} ${e.mode} ${z(e.fromZxid)}..${z(e.toZxid)}${e.source === undefined ? '' : ` from ${e.source}`}`;
  }
}
