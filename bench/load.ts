// Closed-loop load generator over node-zookeeper-client (the same client for ours and Apache):
// keeps `inFlight` requests outstanding and records each request's latency.
import zookeeper from 'node-zookeeper-client';

export interface LoadResult {
  ops: number;
  seconds: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Every request's latency, ascending (to merge results of several runs of one cell). */
  latenciesMs: readonly number[];
}

type Client = ReturnType<typeof zookeeper.createClient>;

export function connect(connectString: string, timeoutMs = 10_000): Promise<Client> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: 30_000, retries: 0 });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`could not connect to ${connectString}`)), timeoutMs);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.connect();
  });
}

function call(fn: (done: (error: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => fn((error) => (error ? reject(error) : resolve())));
}

export async function ensurePath(client: Client, path: string, data: Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    client.create(path, data, (error: { getCode?: () => number } | null) => {
      if (error && error.getCode?.() !== zookeeper.Exception.NODE_EXISTS) reject(error);
      else resolve();
    }),
  );
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] as number;
}

/** Runs `totalOps` operations with `inFlight` outstanding; `op(i)` issues operation number i. */
export async function runClosedLoop(totalOps: number, inFlight: number, op: (i: number) => Promise<void>): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let issued = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (issued < totalOps) {
      const i = issued++;
      const t0 = process.hrtime.bigint();
      await op(i);
      latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latenciesMs.sort((a, b) => a - b);
  return { ops: totalOps, seconds, opsPerSecond: totalOps / seconds, p50Ms: percentile(latenciesMs, 0.5), p99Ms: percentile(latenciesMs, 0.99), latenciesMs };
}

/** One result for several runs of the same cell: their ops over their summed time, pooled latencies. */
export function mergeLoadResults(runs: readonly LoadResult[]): LoadResult {
  const ops = runs.reduce((sum, r) => sum + r.ops, 0);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  const latenciesMs = runs.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  return { ops, seconds, opsPerSecond: ops / seconds, p50Ms: percentile(latenciesMs, 0.5), p99Ms: percentile(latenciesMs, 0.99), latenciesMs };
}

export function writeOp(client: Client, keys: number, payload: Buffer): (i: number) => Promise<void> {
  return (i) => call((done) => client.setData(`/bench/k${i % keys}`, payload, -1, done));
}

export function readOp(client: Client, keys: number): (i: number) => Promise<void> {
  return (i) => call((done) => client.getData(`/bench/k${i % keys}`, (error: Error | null) => done(error)));
}

export async function prepareKeys(client: Client, keys: number, payload: Buffer): Promise<void> {
  await ensurePath(client, '/bench', Buffer.alloc(0));
  for (let k = 0; k < keys; k++) await ensurePath(client, `/bench/k${k}`, payload);
}
