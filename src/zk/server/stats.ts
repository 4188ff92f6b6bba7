// Request counters the four-letter words print: ServerStats (server-wide) and the per-connection
// stats of ServerCnxn. Latencies are host-clock milliseconds handed in by the server.
import type { Millis, Zxid } from '../types';

/** AvgMinMaxCounter: min is 0 until the first sample; avg is rounded to 4 decimals. */
export class LatencyCounter {
  private count = 0;
  private total = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = 0;

  add(latencyMs: number): void {
    if (!(latencyMs >= 0)) return; // a clock step backwards is not a latency
    this.count++;
    this.total += latencyMs;
    if (latencyMs < this.min) this.min = latencyMs;
    if (latencyMs > this.max) this.max = latencyMs;
  }

  reset(): void {
    this.count = 0;
    this.total = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = 0;
  }

  get samples(): number {
    return this.count;
  }
  get sumMs(): number {
    return this.total;
  }
  get minMs(): number {
    return this.count === 0 ? 0 : this.min;
  }
  get maxMs(): number {
    return this.max;
  }
  /** ServerStats' average: a double with 4 decimals. */
  get avgMs(): number {
    return this.count === 0 ? 0 : Math.round((this.total / this.count) * 10_000) / 10_000;
  }
  /** ServerCnxn's average: long division. */
  get avgMsTruncated(): number {
    return this.count === 0 ? 0 : Math.floor(this.total / this.count);
  }
}

/** Double.toString for the small values the stats hold: 0 -> "0.0", 1.5 -> "1.5". */
export function javaDouble(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

export class ServerStats {
  packetsReceived = 0;
  packetsSent = 0;
  authFailedCount = 0;
  readonly latency = new LatencyCounter();

  /** `srst`: latency and packet counters. */
  reset(): void {
    this.packetsReceived = 0;
    this.packetsSent = 0;
    this.latency.reset();
  }
}

export class ConnectionStats {
  packetsReceived = 0;
  packetsSent = 0;
  lastOp = 'NA';
  lastCxid = -1;
  lastZxid: Zxid = -1n;
  lastResponseTimeMs: Millis = 0;
  lastLatencyMs = 0;
  readonly latency = new LatencyCounter();

  constructor(readonly establishedMs: Millis) {}

  /** ServerCnxn.updateStatsForResponse. */
  recordResponse(cxid: number, zxid: Zxid, op: string, startMs: Millis, endMs: Millis): void {
    if (cxid >= 0) this.lastCxid = cxid;
    this.lastZxid = zxid;
    this.lastOp = op;
    this.lastResponseTimeMs = endMs;
    this.lastLatencyMs = endMs - startMs;
    this.latency.add(endMs - startMs);
  }

  /** `crst`. */
  reset(): void {
    this.packetsReceived = 0;
    this.packetsSent = 0;
    this.lastOp = 'NA';
    this.lastCxid = -1;
    this.lastZxid = -1n;
    this.lastResponseTimeMs = 0;
    this.lastLatencyMs = 0;
    this.latency.reset();
  }
}
