// A quorum worker's links to its peers: one MessagePort per peer (the page creates one
// MessageChannel per pair of workers and transfers an end to each) under a FaultyTransport that
// applies the page's fault controls where a network would: on the wire, not in the core.
//
// - partition: the peer is in another group; every frame between us is dropped, both ways, while
//   the channel stays open, so both sides find out only through their own ZAB timeouts. On heal,
//   each side resets the connection, as the timed-out TCP sockets of a real partition would have
//   been: ZAB then starts over on a fresh link instead of on a stream with a hole in it.
// - latency and loss: this server's outbound direction only (the peer's worker sets its own), so a
//   symmetric link setting is not applied twice. Loss resets the connection (see link-policy.ts).
import { FaultyTransport } from '../net/faulty-transport';
import type { Clock } from '../net/clock';
import type { LinkPolicy } from '../net/link-policy';
import { MessagePortTransport, type MessagePortLike } from '../net/message-port-transport';
import type { LinkChangeHandler, MessageHandler, Transport, Unsubscribe } from '../net/transport';
import type { Prng } from '../zk/prng';
import type { ServerId } from '../zk/types';
import type { LinkFaults } from './protocol';

/** Every frame lost, without breaking the connection: the silence of a partition. */
const DROP_ALL: LinkPolicy = { lossProbability: 1, lossBreaksLink: false };

export interface QuorumLinksOptions {
  selfId: ServerId;
  peers: readonly ServerId[];
  clock: Clock;
  prng: Prng;
  /** Delay before a broken connection is re-opened (default 100 ms). */
  reconnectDelayMs?: number;
  /**
   * The links themselves, when they are not the page's MessagePorts (multi-tab mode: the WebRTC
   * PeerChannelTransport of peer-host.ts). Every peer is connected at once; attachPort/peerGone
   * are then not available.
   */
  base?: Transport;
}

export class QuorumLinks {
  private readonly ports: MessagePortTransport | null;
  private readonly transport: FaultyTransport;
  private readonly peers: readonly ServerId[];
  private partitioned = new Set<ServerId>();

  constructor(private readonly options: QuorumLinksOptions) {
    this.peers = options.peers.filter((p) => p !== options.selfId);
    if (options.base !== undefined && options.base.selfId !== options.selfId) {
      throw new RangeError(`server ${options.selfId} was given the transport of server ${options.base.selfId}`);
    }
    this.ports =
      options.base === undefined
        ? new MessagePortTransport({
            selfId: options.selfId,
            clock: options.clock,
            ...(options.reconnectDelayMs === undefined ? {} : { reconnectDelayMs: options.reconnectDelayMs }),
          })
        : null;
    const base = this.ports ?? (options.base as Transport);
    this.transport = new FaultyTransport(base, { clock: options.clock, prng: options.prng });
    if (this.ports === null) for (const peer of this.peers) base.connect(peer);
  }

  attachPort(peer: ServerId, port: MessagePortLike): void {
    this.checkPeer(peer);
    if (this.ports === null) throw new Error(`server ${this.options.selfId} has no MessagePort links`);
    this.ports.attachPort(peer, port);
  }

  /** The peer's worker is gone: its end of the channel is dead, so ours is closed (link down). */
  peerGone(peer: ServerId): void {
    this.checkPeer(peer);
    if (this.ports === null) throw new Error(`server ${this.options.selfId} has no MessagePort links`);
    this.ports.detachPort(peer);
  }

  send(to: ServerId, bytes: Uint8Array): void {
    this.transport.send(to, bytes);
  }

  onMessage(handler: MessageHandler): Unsubscribe {
    return this.transport.onMessage(handler);
  }

  onLinkChange(handler: LinkChangeHandler): Unsubscribe {
    return this.transport.onLinkChange(handler);
  }

  /** Replaces every link fault of this server; peers not listed have none. */
  setFaults(links: ReadonlyArray<{ peer: ServerId; faults: LinkFaults }>): void {
    const next = new Map<ServerId, LinkFaults>();
    for (const { peer, faults } of links) {
      this.checkPeer(peer);
      next.set(peer, faults);
    }
    const self = this.options.selfId;
    const healed: ServerId[] = [];
    for (const peer of this.peers) {
      const faults = next.get(peer);
      const partitioned = faults?.partitioned === true;
      const outbound: LinkPolicy = partitioned ? { ...faults?.outbound, ...DROP_ALL } : { ...faults?.outbound };
      this.transport.setLinkPolicy(self, peer, isEmpty(outbound) ? null : outbound);
      this.transport.setLinkPolicy(peer, self, partitioned ? DROP_ALL : null);
      if (this.partitioned.has(peer) && !partitioned) healed.push(peer);
    }
    this.partitioned = new Set(this.peers.filter((p) => next.get(p)?.partitioned === true));
    for (const peer of healed) this.transport.disconnect(peer);
  }

  isPartitioned(peer: ServerId): boolean {
    return this.partitioned.has(peer);
  }

  linkStates(): Array<{ peer: ServerId; up: boolean }> {
    return this.peers.map((peer) => ({ peer, up: this.transport.linkState(peer) === 'up' }));
  }

  close(): void {
    this.transport.close();
  }

  private checkPeer(peer: ServerId): void {
    if (!this.peers.includes(peer)) throw new RangeError(`server ${this.options.selfId} has no peer ${peer}`);
  }
}

function isEmpty(policy: LinkPolicy): boolean {
  return Object.values(policy).every((v) => v === undefined);
}
