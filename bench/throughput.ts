// Write and read cells: setData / getData of 100-byte values on 100 keys, one client session per
// server, 1 / 8 / 32 requests in flight (closed loop), each cell a warm-up then a fixed op count.
// The servers take turns cell by cell (order alternating), so load that changes during the run
// (other work on the machine) falls on both alike.
import { connect, type LoadResult, prepareKeys, readOp, runClosedLoop, writeOp } from './load';

export interface ThroughputPlan {
  keys: number;
  payloadBytes: number;
  inFlights: readonly number[];
  warmupOps: number;
  /**
   * Writes (8 in flight) each target takes before its first cell: a freshly started server (JIT,
   * caches) is slower for its first thousand or two writes, and the first cell would measure that.
   */
  startWarmupWrites?: number;
  writeOps: number;
  readOps: number;
}

export interface CellResult {
  kind: 'write' | 'read';
  inFlight: number;
  result: LoadResult;
}

export const DEFAULT_PLAN: ThroughputPlan = {
  keys: 100,
  payloadBytes: 100,
  inFlights: [1, 8, 32],
  warmupOps: 500,
  writeOps: 10_000,
  readOps: 20_000,
};

export interface Target {
  label: string;
  connectString: string;
}

/** Results per target label, cells in plan order. */
export async function runThroughput(targets: readonly Target[], plan: ThroughputPlan, note: (line: string) => void): Promise<Map<string, CellResult[]>> {
  const payload = Buffer.alloc(plan.payloadBytes, 0x61);
  const clients = await Promise.all(targets.map((target) => connect(target.connectString)));
  const results = new Map<string, CellResult[]>(targets.map((target) => [target.label, []]));
  try {
    for (const client of clients) await prepareKeys(client, plan.keys, payload);
    for (const client of clients) await runClosedLoop(plan.startWarmupWrites ?? 0, 8, writeOp(client, plan.keys, payload));
    let cellIndex = 0;
    for (const kind of ['write', 'read'] as const) {
      const ops = kind === 'write' ? plan.writeOps : plan.readOps;
      for (const inFlight of plan.inFlights) {
        const order = targets.map((_, i) => i);
        if (cellIndex++ % 2 === 1) order.reverse();
        for (const i of order) {
          const client = clients[i]!;
          const op = kind === 'write' ? writeOp(client, plan.keys, payload) : readOp(client, plan.keys);
          await runClosedLoop(plan.warmupOps, inFlight, op);
          const result = await runClosedLoop(ops, inFlight, op);
          note(`  ${targets[i]!.label} ${kind} x${inFlight}: ${Math.round(result.opsPerSecond)} ops/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms`);
          results.get(targets[i]!.label)!.push({ kind, inFlight, result });
        }
      }
    }
  } finally {
    for (const client of clients) client.close();
  }
  return results;
}
