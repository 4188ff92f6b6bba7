// Fault policy of one directed link (from -> to), shared by MemoryNetwork and FaultyTransport.
//
// The links model TCP connections, so faults keep TCP's guarantee that what arrives on one
// connection is a gap-free prefix of what was sent:
// - blocked (a partition, possibly one-way): messages are held, as TCP keeps retransmitting into
//   the void, and arrive in order once unblocked, unless the link breaks first. A host notices the
//   silence through its own timeouts and calls disconnect(), as Apache's learners and leader do.
// - lossProbability: a lost message is a connection reset: it and everything in flight behind it
//   are lost and both ends see 'down' (then 'up' again later). Losing one message while later ones
//   still arrive would be a gap no real TCP link produces, and would send ZAB chasing ghosts.
//   lossBreaksLink: false gives plain datagram loss, for election-only experiments.
// - latencyMs: added one-way delay, drawn per message; FIFO is preserved (a message never
//   overtakes an earlier one on the same link, it waits behind it).

import type { Prng } from '../zk/prng';

export interface LatencyRange {
  minMs: number;
  maxMs: number;
}

export interface LinkPolicy {
  blocked?: boolean;
  latencyMs?: number | LatencyRange;
  lossProbability?: number;
  lossBreaksLink?: boolean;
}

export function validateLinkPolicy(policy: LinkPolicy): void {
  const latency = policy.latencyMs;
  if (latency !== undefined) {
    const range = typeof latency === 'number' ? { minMs: latency, maxMs: latency } : latency;
    if (!(range.minMs >= 0 && range.maxMs >= range.minMs && Number.isFinite(range.maxMs))) {
      throw new RangeError(`bad latency ${JSON.stringify(latency)}`);
    }
  }
  const loss = policy.lossProbability;
  if (loss !== undefined && !(loss >= 0 && loss <= 1)) throw new RangeError(`bad loss probability ${loss}`);
}

/** Draws one message's delay. Draws from the prng only when the range is not a single value. */
export function drawLatencyMs(policy: LinkPolicy, prng: Prng): number {
  const latency = policy.latencyMs ?? 0;
  if (typeof latency === 'number') return latency;
  if (latency.maxMs === latency.minMs) return latency.minMs;
  return latency.minMs + prng.next() * (latency.maxMs - latency.minMs);
}

/** Draws whether one message is lost. No draw at all when the probability is 0. */
export function drawLoss(policy: LinkPolicy, prng: Prng): boolean {
  const loss = policy.lossProbability ?? 0;
  return loss > 0 && prng.chance(loss);
}
