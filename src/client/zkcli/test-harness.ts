// Test wiring: a ZkCli connected to a FakeServer, with stdout and stderr captured like `2>&1`.
import { FakeClient, FakeServer } from './test-fake';
import { ZkCli, type ZkCliOptions } from './zk-cli';

export interface Harness {
  cli: ZkCli;
  server: FakeServer;
  /** Every line in order, as a terminal shows stdout and stderr together. */
  all: string[];
  out: string[];
  err: string[];
  clients: FakeClient[];
  quits: number[];
  /** Runs lines and returns what they printed (both streams, in order). */
  run(...lines: string[]): Promise<string[]>;
}

export async function connectedCli(options: Partial<ZkCliOptions> = {}, server = new FakeServer()): Promise<Harness> {
  const all: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const clients: FakeClient[] = [];
  const quits: number[] = [];
  const cli = new ZkCli({
    print: (l) => {
      out.push(l);
      all.push(l);
    },
    printErr: (l) => {
      err.push(l);
      all.push(l);
    },
    connect: (_address, watcher) => {
      const client = server.connect(watcher);
      clients.push(client);
      return client;
    },
    onQuit: (code) => quits.push(code),
    ...options,
  });
  await cli.open('127.0.0.1:2181');
  // Events print after the command that caused them, as zkCli usually shows them.
  server.eventDelivery = 'deferred';
  const harness: Harness = {
    cli,
    server,
    all,
    out,
    err,
    clients,
    quits,
    async run(...lines) {
      const start = all.length;
      for (const line of lines) {
        await cli.execute(line);
        server.flushEvents();
      }
      return all.slice(start);
    },
  };
  all.length = 0;
  out.length = 0;
  err.length = 0;
  return harness;
}

/** The StatPrinter block for the fake's fixed clock. */
export function statBlock(s: {
  czxid: string;
  mzxid?: string;
  pzxid?: string;
  cversion?: number;
  version?: number;
  aversion?: number;
  owner?: string;
  dataLength?: number;
  numChildren?: number;
  ctime?: string;
  mtime?: string;
}): string[] {
  const time = 'Sat Nov 21 23:21:00 UTC 2026';
  return [
    `cZxid = ${s.czxid}`,
    `ctime = ${s.ctime ?? time}`,
    `mZxid = ${s.mzxid ?? s.czxid}`,
    `mtime = ${s.mtime ?? time}`,
    `pZxid = ${s.pzxid ?? s.czxid}`,
    `cversion = ${s.cversion ?? 0}`,
    `dataVersion = ${s.version ?? 0}`,
    `aclVersion = ${s.aversion ?? 0}`,
    `ephemeralOwner = ${s.owner ?? '0x0'}`,
    `dataLength = ${s.dataLength ?? 0}`,
    `numChildren = ${s.numChildren ?? 0}`,
  ];
}
