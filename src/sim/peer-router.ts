// Messages between servers (the quorum peer's `peer.send` effects): per-pair FIFO after a drawn
// latency, lost with a drawn probability, dropped across a partition or to a server that is down.
import type { ServerId } from '../zk/types';
import type { ServerInput } from '../zk/server-api';
import type { Scheduler } from './scheduler';
import { serverNode } from './partition';

export interface PeerRouterEnv {
  scheduler: Scheduler;
  latencyMs(): number;
  lost(): boolean;
  canSend(from: string, to: string): boolean;
  /** Delivers to the server if it is up (queued if frozen). */
  deliver(to: ServerId, input: ServerInput): void;
  note(text: string): void;
}

export class PeerRouter {
  private readonly lastDeliveryMs = new Map<string, number>();
  sent = 0;
  dropped = 0;

  constructor(private readonly env: PeerRouterEnv) {}

  send(from: ServerId, to: ServerId, bytes: Uint8Array): void {
    this.sent++;
    if (!this.env.canSend(serverNode(from), serverNode(to)) || this.env.lost()) {
      this.dropped++;
      return;
    }
    const key = `${from}>${to}`;
    const scheduler = this.env.scheduler;
    const atMs = Math.max(this.lastDeliveryMs.get(key) ?? 0, scheduler.nowMs + this.env.latencyMs());
    this.lastDeliveryMs.set(key, atMs);
    const copy = bytes.slice();
    scheduler.at(atMs, `s${from}->s${to} peer`, () => {
      // A partition that started while the message was in flight cuts it too.
      if (!this.env.canSend(serverNode(from), serverNode(to))) {
        this.dropped++;
        return;
      }
      this.env.deliver(to, { kind: 'peer.message', from, bytes: copy } as unknown as ServerInput);
    });
  }
}
