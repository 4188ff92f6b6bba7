import { describe, expect, it } from 'vitest';
import { PeerjsSignaller, parseSignal, SIGNAL_PAYLOAD_TYPE, type PeerSocketLike, type Signal } from './peerjs-signalling';

type Msg = { type?: unknown; src?: unknown; payload?: unknown };

class FakeSocket implements PeerSocketLike {
  sent: Array<{ type: string; dst: string; payload: unknown }> = [];
  private handlers = new Set<(m: Msg) => void>();
  send(message: { type: string; dst: string; payload: unknown }): void {
    this.sent.push(message);
  }
  on(_e: 'message', fn: (m: Msg) => void): void {
    this.handlers.add(fn);
  }
  off(_e: 'message', fn: (m: Msg) => void): void {
    this.handlers.delete(fn);
  }
  deliver(m: Msg): void {
    for (const h of [...this.handlers]) h(m);
  }
}

const wrap = (signal: unknown) => ({ type: SIGNAL_PAYLOAD_TYPE, signal });

describe('parseSignal', () => {
  it('accepts the five kinds', () => {
    const signals: Signal[] = [
      { kind: 'offer', session: 's1', inc: 'i1', sdp: 'v=0' },
      { kind: 'answer', session: 's1', inc: 'i2', sdp: 'v=0' },
      { kind: 'candidate', session: 's1', candidate: { candidate: 'candidate:1 1 udp 1 x.local 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 } },
      { kind: 'candidate', session: 's1', candidate: null },
      { kind: 'ring', inc: 'i1', quorum: true, have: 3 },
      { kind: 'bye', session: 's1' },
    ];
    for (const s of signals) expect(parseSignal(wrap(s))).toEqual(s);
  });

  it('rejects malformed or oversized signals', () => {
    const bad = [
      null,
      { type: 'data', signal: { kind: 'bye', session: 's' } },
      wrap({ kind: 'offer', session: 's', sdp: 'v=0' }),
      wrap({ kind: 'offer', session: 'has space', inc: 'i', sdp: 'v=0' }),
      wrap({ kind: 'answer', session: 's', inc: 'i', sdp: 'x'.repeat(70_000) }),
      wrap({ kind: 'candidate', session: 's', candidate: { candidate: 1 } }),
      wrap({ kind: 'candidate', session: 's', candidate: { candidate: 'c', sdpMid: null, sdpMLineIndex: -1 } }),
      wrap({ kind: 'ring', inc: 'i', quorum: true }),
      wrap({ kind: 'ring', inc: 'i', quorum: true, have: -1 }),
      wrap({ kind: 'hug', session: 's' }),
    ];
    for (const b of bad) expect(parseSignal(b), JSON.stringify(b)?.slice(0, 80)).toBeNull();
  });
});

describe('PeerjsSignaller', () => {
  it('sends signals as relayed OFFER messages to the peer id of the target myid', () => {
    const socket = new FakeSocket();
    const s = new PeerjsSignaller(socket, 'demo', 2);
    s.send(3, { kind: 'ring', inc: 'abc', quorum: false, have: 0 });
    expect(socket.sent).toEqual([{ type: 'OFFER', dst: 'zootabs-demo-3', payload: wrap({ kind: 'ring', inc: 'abc', quorum: false, have: 0 }) }]);
    expect(() => s.send(2, { kind: 'bye', session: 'x' })).toThrow(RangeError);
  });

  it('delivers signals from servers of its cluster only, counting the rest', () => {
    const socket = new FakeSocket();
    const s = new PeerjsSignaller(socket, 'demo', 2);
    const got: Array<[number, Signal]> = [];
    const unreachable: number[] = [];
    s.onSignal((from, signal) => got.push([from, signal]));
    s.onUnreachable((peer) => unreachable.push(peer));
    const bye = wrap({ kind: 'bye', session: 's' });
    socket.deliver({ type: 'OFFER', src: 'zootabs-demo-3', payload: bye });
    socket.deliver({ type: 'OFFER', src: 'zootabs-other-3', payload: bye });
    socket.deliver({ type: 'OFFER', src: 'zootabs-demo-3', payload: wrap({ kind: 'bye' }) });
    socket.deliver({ type: 'OFFER', src: 'zootabs-demo-3', payload: { type: 'data', connectionId: 'dc_1' } }); // peerjs' own
    socket.deliver({ type: 'EXPIRE', src: 'zootabs-demo-1' });
    socket.deliver({ type: 'CANDIDATE', src: 'zootabs-demo-3', payload: bye });
    expect(got).toEqual([[3, { kind: 'bye', session: 's' }]]);
    expect(unreachable).toEqual([1]);
    expect(s.stats).toMatchObject({ received: 1, foreign: 1, malformed: 1 });
    s.close();
    socket.deliver({ type: 'OFFER', src: 'zootabs-demo-3', payload: bye });
    expect(got).toHaveLength(1);
  });
});
