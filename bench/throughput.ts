// Write and read cells for one server: setData / getData of 100-byte values on 100 keys, one client
// session, 1 / 8 / 32 requests in flight (closed loop), each cell a warm-up then a fixed op count.
import { connect, type LoadResult, prepareKeys, readOp, runClosedLoop, writeOp } from './load';

export interface ThroughputPlan {
  keys: number;
  payloadBytes: number;
  inFlights: readonly number[];
  warmupOps: number;
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
  writeOps: 5_000,
  readOps: 10_000,
};

export async function runThroughput(connectString: string, plan: ThroughputPlan, note: (line: string) => void): Promise<CellResult[]> {
  const client = await connect(connectString);
  const payload = Buffer.alloc(plan.payloadBytes, 0x61);
  const cells: CellResult[] = [];
  try {
    await prepareKeys(client, plan.keys, payload);
    for (const kind of ['write', 'read'] as const) {
      const op = kind === 'write' ? writeOp(client, plan.keys, payload) : readOp(client, plan.keys);
      const ops = kind === 'write' ? plan.writeOps : plan.readOps;
      for (const inFlight of plan.inFlights) {
        await runClosedLoop(plan.warmupOps, inFlight, op);
        const result = await runClosedLoop(ops, inFlight, op);
        note(`  ${kind} x${inFlight}: ${Math.round(result.opsPerSecond)} ops/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms`);
        cells.push({ kind, inFlight, result });
      }
    }
  } finally {
    client.close();
  }
  return cells;
}
