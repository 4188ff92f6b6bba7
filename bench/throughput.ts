// Write and read cells: setData / getData of 100-byte values on 100 keys, one client session per
// server, 1 / 8 / 32 requests in flight (closed loop), each cell a warm-up then a fixed op count.
// Each cell runs in two halves, the servers taking turns A B then B A, so load that changes during
// the run (other work on the machine, one server's after-load activity) falls on both alike.
import { connect, type LoadResult, mergeLoadResults, prepareKeys, readOp, runClosedLoop, writeOp } from './load';

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
    for (const kind of ['write', 'read'] as const) {
      const ops = kind === 'write' ? plan.writeOps : plan.readOps;
      for (const inFlight of plan.inFlights) {
        // Each cell runs in two halves, A B then B A: whoever runs second in a pass may inherit
        // the first one's after-load activity (a JVM's JIT and GC threads, the page cache), so
        // each target is first once and second once.
        const runs = targets.map((): LoadResult[] => []);
        for (const order of [targets.map((_, i) => i), targets.map((_, i) => i).reverse()]) {
          for (const i of order) {
            const client = clients[i]!;
            const op = kind === 'write' ? writeOp(client, plan.keys, payload) : readOp(client, plan.keys);
            await runClosedLoop(plan.warmupOps, inFlight, op);
            runs[i]!.push(await runClosedLoop(Math.ceil(ops / 2), inFlight, op));
          }
        }
        targets.forEach((target, i) => {
          const result = mergeLoadResults(runs[i]!);
          note(`  ${target.label} ${kind} x${inFlight}: ${Math.round(result.opsPerSecond)} ops/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms (halves ${runs[i]!.map((r) => Math.round(r.opsPerSecond)).join(' / ')})`);
          results.get(target.label)!.push({ kind, inFlight, result });
        });
      }
    }
  } finally {
    for (const client of clients) client.close();
  }
  return results;
}
