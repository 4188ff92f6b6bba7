// Restart time with a long txn log: write N small txns with snapCount high enough that no snapshot
// is taken, kill -9, then (several times, each from a pristine copy of that dataDir, because a server
// may snapshot at startup) spawn and time until a client session's getData succeeds.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { connect, prepareKeys, runClosedLoop, writeOp } from './load';
import { type Launcher, spawnServer, waitServing, writeZooCfg } from './server-process';

export interface RestartPlan {
  txns: number;
  snapCount: number;
  trials: number;
  inFlight: number;
}

export const DEFAULT_RESTART_PLAN: RestartPlan = { txns: 100_000, snapCount: 1_000_000, trials: 3, inFlight: 256 };

export interface PreparedLog {
  /** dataDir as left by kill -9; never started on again. */
  pristineDataDir: string;
  writeSeconds: number;
}

/** Fills a fresh server's log with `plan.txns` setData txns (16 bytes, 100 keys), then kill -9. */
export async function prepareLog(launcher: Launcher, root: string, port: number, plan: RestartPlan): Promise<PreparedLog> {
  const dataDir = path.join(root, 'prepare-data');
  mkdirSync(dataDir, { recursive: true });
  const cfgPath = writeZooCfg(root, { dataDir, clientPort: port, snapCount: plan.snapCount });
  const server = spawnServer(launcher, cfgPath, path.join(root, 'prepare.log'));
  try {
    await waitServing(server, `127.0.0.1:${port}`);
    const client = await connect(`127.0.0.1:${port}`);
    const payload = Buffer.alloc(16, 0x62);
    const keys = 100;
    // prepareKeys adds keys + 1 create txns (and the session adds one); count them in the total.
    await prepareKeys(client, keys, payload);
    const started = process.hrtime.bigint();
    await runClosedLoop(plan.txns - keys - 2, plan.inFlight, writeOp(client, keys, payload));
    const writeSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    client.close();
    return { pristineDataDir: dataDir, writeSeconds };
  } finally {
    await server.kill9();
  }
}

/** One restart from a copy of the pristine dataDir; returns ms from spawn to first served getData. */
export async function timeRestart(launcher: Launcher, prepared: PreparedLog, root: string, port: number, trial: number, plan: RestartPlan): Promise<number> {
  const trialDir = path.join(root, `trial-${trial}`);
  rmSync(trialDir, { recursive: true, force: true });
  mkdirSync(trialDir, { recursive: true });
  const dataDir = path.join(trialDir, 'data');
  cpSync(prepared.pristineDataDir, dataDir, { recursive: true });
  const cfgPath = writeZooCfg(trialDir, { dataDir, clientPort: port, snapCount: plan.snapCount });
  const server = spawnServer(launcher, cfgPath, path.join(trialDir, 'server.log'));
  try {
    return await waitServing(server, `127.0.0.1:${port}`);
  } finally {
    await server.kill9();
    // Keep the disk footprint small; the server log stays for when something fails.
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
