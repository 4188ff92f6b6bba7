// QuorumLinks over a given transport (multi-tab mode: the WebRTC PeerChannelTransport): every peer
// is connected at once, frames pass through, MessagePort wiring is refused, close reaches the base.
import { describe, expect, it } from 'vitest';
import { realClock } from '../net/clock';
import { emptyStats, type LinkChangeHandler, type MessageHandler, type Transport } from '../net/transport';
import type { MessagePortLike } from '../net/message-port-transport';
import { Prng } from '../zk/prng';
import type { ServerId } from '../zk/types';
import { QuorumLinks } from './quorum-links';

class RecordingTransport implements Transport {
  readonly stats = emptyStats();
  readonly connected: ServerId[] = [];
  readonly sent: Array<[ServerId, string]> = [];
  closed = false;
  private handlers: MessageHandler[] = [];
  constructor(readonly selfId: ServerId) {}
  send(to: ServerId, bytes: Uint8Array): void {
    this.sent.push([to, new TextDecoder().decode(bytes)]);
  }
  onMessage(handler: MessageHandler) {
    this.handlers.push(handler);
    return () => undefined;
  }
  onLinkChange(_handler: LinkChangeHandler) {
    return () => undefined;
  }
  connect(peer: ServerId): void {
    this.connected.push(peer);
  }
  disconnect(): void {}
  linkState(): 'up' {
    return 'up';
  }
  close(): void {
    this.closed = true;
  }
  deliver(from: ServerId, text: string): void {
    for (const h of this.handlers) h(from, new TextEncoder().encode(text));
  }
}

describe('QuorumLinks over a given transport', () => {
  it('connects every peer, passes frames both ways, and closes the base', () => {
    const base = new RecordingTransport(2);
    const links = new QuorumLinks({ selfId: 2, peers: [1, 2, 3, 4], clock: realClock, prng: new Prng(2), base });
    expect(base.connected).toEqual([1, 3, 4]);
    const got: string[] = [];
    links.onMessage((from, bytes) => got.push(`${from}:${new TextDecoder().decode(bytes)}`));
    base.deliver(3, 'vote');
    expect(got).toEqual(['3:vote']);
    links.send(1, new TextEncoder().encode('ack'));
    expect(base.sent).toEqual([[1, 'ack']]);
    expect(() => links.attachPort(1, {} as MessagePortLike)).toThrow(/no MessagePort links/);
    links.close();
    expect(base.closed).toBe(true);
  });

  it('refuses another server\'s transport', () => {
    expect(() => new QuorumLinks({ selfId: 1, peers: [1, 2], clock: realClock, prng: new Prng(1), base: new RecordingTransport(2) })).toThrow(/transport of server 2/);
  });
});
