// Connections between servers (the quorum peer's `peer.send` effects), modelled as TCP: per-pair
// FIFO after a drawn latency and no silent gaps. A link is up while both servers are up and can
// reach each other both ways; when it goes down (partition, crash, or a drawn "loss", which resets
// the connection) what is in flight on it is lost and both ends get `peer.link` inputs, and when it
// comes back they hear that too.
import type { ServerId } from '../zk/types';
import type { ServerInput } from '../zk/server-api';
import type { Scheduler } from './scheduler';
import { serverNode } from './partition';

export interface PeerRouterEnv {
  scheduler: Scheduler;
  latencyMs(): number;
  /** A drawn message loss: on a TCP link it is a connection reset. */
  lost(): boolean;
  canSend(from: string, to: string): boolean;
  /** How long a reset connection stays down before it may come back. */
  resetDownMs(): number;
  isUp(server: ServerId): boolean;
  /** Delivers to the server if it is up (queued if frozen). */
  deliver(to: ServerId, input: ServerInput): void;
  note(text: string): void;
}

interface Link {
  up: boolean;
  /** Bumped whenever the link goes down: messages sent in an older generation are lost. */
  generation: number;
  /** Per direction: when the last message is due, so messages never overtake each other. */
  lastDeliveryMs: Map<ServerId, number>;
  /** A reset link stays down until this time even if nothing else stops it. */
  resetUntilMs: number;
}

export class PeerRouter {
  private readonly links = new Map<string, Link>();
  private servers: readonly ServerId[] = [];
  sent = 0;
  dropped = 0;

  constructor(private readonly env: PeerRouterEnv) {}

  setServers(ids: readonly ServerId[]): void {
    this.servers = ids;
    for (const a of ids) for (const b of ids) if (a < b) this.links.set(key(a, b), { up: true, generation: 0, lastDeliveryMs: new Map(), resetUntilMs: 0 });
  }

  send(from: ServerId, to: ServerId, bytes: Uint8Array): void {
    this.sent++;
    const link = this.link(from, to);
    if (!link.up) {
      this.dropped++;
      return;
    }
    if (this.env.lost()) {
      this.dropped++;
      this.reset(from, to, link);
      return;
    }
    const scheduler = this.env.scheduler;
    const atMs = Math.max(link.lastDeliveryMs.get(from) ?? 0, scheduler.nowMs + this.env.latencyMs());
    link.lastDeliveryMs.set(from, atMs);
    const generation = link.generation;
    const copy = bytes.slice();
    scheduler.at(atMs, `s${from}->s${to} peer`, () => {
      if (link.generation !== generation || !link.up) {
        this.dropped++;
        return;
      }
      this.env.deliver(to, { kind: 'peer.message', from, bytes: copy });
    });
  }

  /** Recomputes every link after a partition, heal, crash or restart; tells both ends of changes. */
  refresh(): void {
    for (const a of this.servers) {
      for (const b of this.servers) {
        if (a >= b) continue;
        const link = this.link(a, b);
        const up = this.shouldBeUp(a, b, link);
        if (up === link.up) continue;
        link.up = up;
        if (!up) link.generation++;
        this.tell(a, b, up);
        this.tell(b, a, up);
      }
    }
  }

  isUp(a: ServerId, b: ServerId): boolean {
    return this.link(a, b).up;
  }

  private shouldBeUp(a: ServerId, b: ServerId, link: Link): boolean {
    const env = this.env;
    if (!env.isUp(a) || !env.isUp(b) || env.scheduler.nowMs < link.resetUntilMs) return false;
    return env.canSend(serverNode(a), serverNode(b)) && env.canSend(serverNode(b), serverNode(a));
  }

  private reset(from: ServerId, to: ServerId, link: Link): void {
    const downMs = this.env.resetDownMs();
    link.resetUntilMs = this.env.scheduler.nowMs + downMs;
    this.env.note(`connection s${from}<->s${to} reset`);
    this.refresh();
    this.env.scheduler.after(downMs, 'peer link retry', () => this.refresh());
  }

  /** The input goes through the queue so it never lands inside another server's step. */
  private tell(to: ServerId, peer: ServerId, up: boolean): void {
    if (!this.env.isUp(to)) return;
    this.env.scheduler.after(0, `s${to} link ${peer} ${up ? 'up' : 'down'}`, () => {
      if (this.link(to, peer).up === up) this.env.deliver(to, { kind: 'peer.link', peer, up });
    });
  }

  private link(a: ServerId, b: ServerId): Link {
    const link = this.links.get(key(a, b));
    if (link === undefined) throw new Error(`no peer link s${a}<->s${b}`);
    return link;
  }
}

function key(a: ServerId, b: ServerId): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}
