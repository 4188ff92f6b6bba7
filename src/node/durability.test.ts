// Crash durability of the real Node server process (`node --import tsx src/node/zk-main.ts zoo.cfg`):
// a client pipelines creates and setData as fast as it can, the server is killed with SIGKILL in
// the middle of the stream, restarted on the same dataDir, and every acknowledged write must be
// there with its data and version. Unacknowledged writes may or may not be there, but what the
// server recovers must be a prefix of what was sent (no holes, no foreign data). Also: garbage
// appended to the newest log file after a crash (a torn tail) is cut off with a warning.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import zookeeper from 'node-zookeeper-client';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const START_TIMEOUT_MS = 30_000;
const IN_FLIGHT = 16;
const KEYS = 8;
/** Small so snapshots are taken during the run: recovery then needs snapshot + log. */
const SNAP_COUNT = 300;

type Client = ReturnType<typeof zookeeper.createClient>;
interface ZkError {
  getCode(): number;
}

// ---- server process -------------------------------------------------------------------------

interface Server {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

const liveServers = new Set<ChildProcess>();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

function writeCfg(dir: string, port: number): string {
  const cfgPath = path.join(dir, 'zoo.cfg');
  const lines = ['tickTime=2000', `dataDir=${path.join(dir, 'data')}`, `clientPort=${port}`, 'clientPortAddress=127.0.0.1', `snapCount=${SNAP_COUNT}`, 'maxClientCnxns=0'];
  writeFileSync(cfgPath, lines.join('\n') + '\n');
  return cfgPath;
}

/** One process (tsx as a loader, not the tsx CLI), so its pid is the server and SIGKILL reaches it. */
async function startServer(cfgPath: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/node/zk-main.ts', cfgPath], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  liveServers.add(child);
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => liveServers.delete(child));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not serving after ${START_TIMEOUT_MS} ms:\n${text}`)), START_TIMEOUT_MS);
    const check = (): void => {
      if (/serving on/.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before serving:\n${text}`));
    });
  });
  return { child, output: () => text, exited };
}

async function kill9(server: Server): Promise<void> {
  server.child.kill('SIGKILL');
  await server.exited;
}

// ---- client -----------------------------------------------------------------------------------

function connect(port: number): Promise<Client> {
  const client = zookeeper.createClient(`127.0.0.1:${port}`, { sessionTimeout: 30_000, spinDelay: 100, retries: 0 });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no session on port ${port}`)), 10_000);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.connect();
  });
}

/** Closes without reconnecting to a server started later on the same port. */
function discard(client: Client): void {
  client.close();
  client.connectionManager?.socket?.destroy();
}

function call<T>(issue: (done: (error: ZkError | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => issue((error, value) => (error ? reject(error) : resolve(value))));
}

const getData = (client: Client, p: string): Promise<{ data: string; version: number } | null> =>
  new Promise((resolve, reject) =>
    client.getData(p, (error: ZkError | null, data: Buffer | undefined, stat: { version: number }) => {
      if (error?.getCode() === zookeeper.Exception.NO_NODE) resolve(null);
      else if (error) reject(error);
      else resolve({ data: data?.toString() ?? '', version: stat.version });
    }),
  );

// ---- the model of what was sent and acknowledged ---------------------------------------------

/**
 * One session sends everything, so the server orders the txns as they were sent: recovered state is
 * a prefix. A create's data names it; a setData's data names the version it produces, so every
 * recovered value checks itself.
 */
class Expectations {
  /** Per round, creates sent (index order) and the highest acknowledged index. */
  readonly creates: Array<{ sent: number; ackedUpTo: number }> = [];
  /** Per key: the version the next setData will produce, and a version that must be there. */
  readonly nextVersion: number[] = Array.from({ length: KEYS }, () => 1);
  readonly durableVersion: number[] = Array.from({ length: KEYS }, () => 0);
  acked = 0;
}

const createPath = (round: number, index: number): string => `/d/c${round}-${index}`;
const createData = (round: number, index: number): string => `create ${round}-${index}`;
const keyPath = (key: number): string => `/d/k${key}`;
const keyData = (key: number, version: number): string => `key ${key} version ${version}`;

async function setUp(client: Client): Promise<void> {
  await call((done) => client.create('/d', Buffer.alloc(0), done));
  for (let key = 0; key < KEYS; key++) await call((done) => client.create(keyPath(key), Buffer.from(keyData(key, 0)), done));
}

/**
 * Sends creates and setData with IN_FLIGHT outstanding until the server dies; kills it (SIGKILL) from
 * inside the callback of the `killAfterAcks`-th acknowledgement, so requests are in flight.
 */
async function writeUntilKilled(client: Client, server: Server, model: Expectations, round: number, killAfterAcks: number): Promise<void> {
  const creates = { sent: 0, ackedUpTo: -1 };
  model.creates[round] = creates;
  let acksThisRound = 0;
  let stopped = false;
  const unexpected: string[] = [];
  // An acknowledgement that arrives after the kill was still sent by the server after its fsync.
  const onAck = (): void => {
    model.acked++;
    if (++acksThisRound === killAfterAcks) {
      server.child.kill('SIGKILL');
      stopped = true;
    }
  };
  const onError = (error: ZkError, what: string): void => {
    // Before the kill nothing may fail; after it, connection loss is what we expect.
    if (!stopped) unexpected.push(`${what}: ${String(error)}`);
    stopped = true;
  };
  let op = 0;
  const worker = async (): Promise<void> => {
    while (!stopped) {
      const i = op++;
      if (i % 2 === 0) {
        const index = creates.sent++;
        await call((done) => client.create(createPath(round, index), Buffer.from(createData(round, index)), done)).then(
          () => {
            creates.ackedUpTo = Math.max(creates.ackedUpTo, index);
            onAck();
          },
          (error: ZkError) => onError(error, `create ${index}`),
        );
      } else {
        const key = (i >> 1) % KEYS;
        const version = model.nextVersion[key]!++;
        await call<{ version: number }>((done) => client.setData(keyPath(key), Buffer.from(keyData(key, version)), -1, done)).then(
          (stat) => {
            if (stat.version !== version) unexpected.push(`setData ${keyPath(key)}: version ${stat.version}, expected ${version}`);
            model.durableVersion[key] = Math.max(model.durableVersion[key]!, version);
            onAck();
          },
          (error: ZkError) => onError(error, `setData ${keyPath(key)}`),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  await server.exited;
  discard(client);
  expect(unexpected).toEqual([]);
  expect(acksThisRound).toBeGreaterThanOrEqual(killAfterAcks);
}

/**
 * Checks the recovered server against the model, then raises the model's floor to what was
 * recovered: a write the restarted server serves must survive later crashes too.
 */
async function verifyRecovered(client: Client, model: Expectations): Promise<void> {
  for (let round = 0; round < model.creates.length; round++) {
    const { sent, ackedUpTo } = model.creates[round]!;
    const present = await Promise.all(Array.from({ length: sent }, (_, index) => getData(client, createPath(round, index))));
    const firstMissing = present.findIndex((node) => node === null);
    const prefix = firstMissing === -1 ? sent : firstMissing;
    expect(prefix, `round ${round}: acknowledged creates 0..${ackedUpTo} must be present`).toBeGreaterThan(ackedUpTo);
    expect(present.slice(prefix).filter((node) => node !== null).length, `round ${round}: creates after a missing one`).toBe(0);
    present.slice(0, prefix).forEach((node, index) => expect(node).toEqual({ data: createData(round, index), version: 0 }));
    model.creates[round] = { sent: prefix, ackedUpTo: prefix - 1 };
  }
  for (let key = 0; key < KEYS; key++) {
    const node = await getData(client, keyPath(key));
    expect(node, keyPath(key)).not.toBeNull();
    expect(node!.version, `${keyPath(key)} version`).toBeGreaterThanOrEqual(model.durableVersion[key]!);
    expect(node!.version, `${keyPath(key)} version`).toBeLessThan(model.nextVersion[key]!);
    expect(node!.data).toBe(keyData(key, node!.version));
    model.durableVersion[key] = node!.version;
    model.nextVersion[key] = node!.version + 1;
  }
}

function newestLogFile(dataDir: string): string {
  const logDir = path.join(dataDir, 'version-2');
  const logs = readdirSync(logDir)
    .filter((name) => /^log\.[0-9a-f]+$/.test(name))
    .sort((a, b) => (BigInt('0x' + a.slice(4)) < BigInt('0x' + b.slice(4)) ? -1 : 1));
  expect(logs.length).toBeGreaterThan(0);
  return path.join(logDir, logs[logs.length - 1]!);
}

/** Bytes that are not a whole record: a plausible record header promising more than follows. */
function tornTail(): Buffer {
  const bytes = Buffer.alloc(45);
  bytes.writeUInt32BE(200, 0); // payload length
  bytes.writeUInt32BE(0xdeadbeef, 4); // crc
  for (let i = 8; i < bytes.length; i++) bytes[i] = (i * 37) & 0xff;
  return bytes;
}

// ---- tests --------------------------------------------------------------------------------------

const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zootabs-durability-'));
  mkdirSync(path.join(dir, 'data'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const child of liveServers) child.kill('SIGKILL');
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('durability of the Node server across kill -9', () => {
  it('keeps every acknowledged write, at three different crash moments, on the same dataDir', async () => {
    const dir = tempDir();
    const port = await freePort();
    const cfgPath = writeCfg(dir, port);
    const model = new Expectations();
    let server = await startServer(cfgPath);
    let client = await connect(port);
    await setUp(client);
    const killAfterAcks = [150, 700, 1_300];
    for (let round = 0; round < killAfterAcks.length; round++) {
      await writeUntilKilled(client, server, model, round, killAfterAcks[round]!);
      server = await startServer(cfgPath);
      client = await connect(port);
      await verifyRecovered(client, model);
    }
    discard(client);
    await kill9(server);
    expect(model.acked).toBeGreaterThan(2_000);
    // snapCount is small so that recovery went through snapshot + log, not the log alone.
    expect(readdirSync(path.join(dir, 'data', 'version-2')).some((name) => name.startsWith('snapshot.'))).toBe(true);
  }, 120_000);

  it('cuts a torn log tail with a warning and keeps every acknowledged write', async () => {
    const dir = tempDir();
    const port = await freePort();
    const cfgPath = writeCfg(dir, port);
    const model = new Expectations();
    let server = await startServer(cfgPath);
    let client = await connect(port);
    await setUp(client);
    await writeUntilKilled(client, server, model, 0, 400);

    const logFile = newestLogFile(path.join(dir, 'data'));
    appendFileSync(logFile, tornTail());
    server = await startServer(cfgPath);
    expect(server.output()).toMatch(/WARN .*torn log tail/);
    expect(server.output()).toContain(path.basename(logFile));
    client = await connect(port);
    await verifyRecovered(client, model);

    // Writes after the cut must land after whole records, not after the garbage.
    await writeUntilKilled(client, server, model, 1, 300);
    server = await startServer(cfgPath);
    client = await connect(port);
    await verifyRecovered(client, model);
    discard(client);
    await kill9(server);
  }, 90_000);
});
