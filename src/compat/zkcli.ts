// Scripted zkCli.sh sessions (Debian's /usr/share/zookeeper/bin/zkCli.sh, Java client 3.8.0).
// One JVM per script: all commands go through stdin (without JLine the CLI reads plain lines),
// which costs ~0.5 s per script instead of ~0.5 s per command with `-server host:port cmd`.
// Between commands we send `stat /zkcli-marker/<n>`: it prints one "Node does not exist" line
// that the normalizer turns into a "> command" header, so the golden reads as a console log.
// stderr is merged into stdout (zkCli prints "Created /x" and errors on stderr).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ZKCLI = process.env.ZKCLI_SH ?? '/usr/share/zookeeper/bin/zkCli.sh';
export const ZKCLI_GOLDEN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden-zkcli');
const MARKER = '/zkcli-marker/';
const RUN_TIMEOUT_MS = 60_000;
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

export interface ZkCliScript {
  name: string;
  about: string;
  commands: string[];
}

export function zkCliAvailable(): boolean {
  return existsSync(ZKCLI);
}

/** Each script works under its own root so scripts are independent. */
export const zkcliScripts: ZkCliScript[] = [
  {
    name: 'basic',
    about: 'create/ls/get -s/set/stat/delete and their error messages',
    commands: [
      'create /zkc_basic root-data',
      'create /zkc_basic/a hello',
      'create /zkc_basic/b',
      'create /zkc_basic/a again',
      'ls /zkc_basic',
      'ls -s /zkc_basic',
      'get -s /zkc_basic/a',
      'set /zkc_basic/a world',
      'set -s /zkc_basic/a world2',
      'set -v 7 /zkc_basic/a nope',
      'get /zkc_basic/a',
      'stat /zkc_basic/a',
      'stat /zkc_basic',
      'get /zkc_basic/missing',
      'delete /zkc_basic',
      'delete -v 9 /zkc_basic/a',
      'delete /zkc_basic/a',
      'create /zkc_basic/missing/child',
      'ls /zkc_basic',
      'ls -R /zkc_basic',
      'deleteall /zkc_basic',
      'ls /zkc_basic',
    ],
  },
  {
    name: 'seq-ephemeral',
    about: 'sequential and ephemeral nodes as zkCli shows them',
    commands: [
      'create /zkc_seq',
      'create -s /zkc_seq/s- one',
      'create -s /zkc_seq/s- two',
      'create -e /zkc_seq/e eph',
      'create -e -s /zkc_seq/es- x',
      'create /zkc_seq/e/child',
      'ls /zkc_seq',
      'stat /zkc_seq/e',
      'stat /zkc_seq',
      'getEphemerals /zkc_seq',
      'getAllChildrenNumber /zkc_seq',
      'delete /zkc_seq/s-0000000000',
      'create -s /zkc_seq/s- three',
    ],
  },
  {
    name: 'acl',
    about: 'addauth/setAcl/getAcl, digest and world ACLs, permission errors',
    commands: [
      'create /zkc_acl',
      'getAcl /zkc_acl',
      'create /zkc_acl/ro data world:anyone:r',
      'getAcl /zkc_acl/ro',
      'set /zkc_acl/ro x',
      'create /zkc_acl/ro/child',
      'addauth digest alice:secret',
      'create /zkc_acl/mine data auth::cdrwa',
      'getAcl -s /zkc_acl/mine',
      'setAcl /zkc_acl/mine world:anyone:r',
      'getAcl /zkc_acl/mine',
      'setAcl /zkc_acl/mine digest:bob:bobhash:cdrwa',
      'setAcl /zkc_acl/mine world:anyone:cdrwa',
      'setAcl -v 0 /zkc_acl/ro world:anyone:cdrwa',
      'setAcl /zkc_acl/ro world:anyone:cdrwa',
      'getAcl /zkc_acl/ro',
      'create /zkc_acl/bad data foo:bar:r',
      'create /zkc_acl/ip data ip:127.0.0.1:cdrwa',
      'get /zkc_acl/ip',
      'whoami',
    ],
  },
  {
    name: 'extended',
    about: '3.5+ node types and calls node-zookeeper-client lacks: container, TTL, whoami, getEphemerals, getAllChildrenNumber, sync, config',
    commands: [
      'create /zkc_ext',
      'create -c /zkc_ext/cont',
      'create /zkc_ext/cont/child',
      'stat /zkc_ext/cont',
      'create -t 60000 /zkc_ext/ttl data',
      'stat /zkc_ext/ttl',
      'create -t 60000 -s /zkc_ext/ttls- data',
      'create -e -t 1000 /zkc_ext/bad',
      'create -c -s /zkc_ext/cs',
      'getEphemerals',
      'create -e /zkc_ext/e1',
      'getEphemerals /zkc_ext',
      'getAllChildrenNumber /zkc_ext',
      'getAllChildrenNumber /zkc_ext/missing',
      'whoami',
      'sync /zkc_ext',
      'ls /zookeeper',
      'get /zookeeper/config',
      'ls -s /zookeeper',
    ],
  },
];

export interface ZkCliRun {
  raw: string;
  normalized: string;
  elapsedMs: number;
}

/** Builds stdin: a marker before every command, then quit. */
export function buildStdin(commands: readonly string[]): string {
  const lines: string[] = [];
  commands.forEach((c, i) => {
    lines.push(`stat ${MARKER}${i}`, c);
  });
  lines.push(`stat ${MARKER}end`, 'quit');
  return lines.join('\n') + '\n';
}

export function runZkCliScript(script: ZkCliScript, server: string): Promise<ZkCliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `exec "${ZKCLI}" -server "$0" 2>&1`, server], { stdio: ['pipe', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`zkCli ${script.name}: timeout after ${RUN_TIMEOUT_MS} ms`));
    }, RUN_TIMEOUT_MS);
    child.stdout.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_OUTPUT_BYTES) chunks.push(c);
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('utf8');
      resolve({ raw, normalized: normalizeZkCliOutput(raw, script.commands), elapsedMs: Date.now() - started });
    });
    child.stdin.end(buildStdin(script.commands));
  });
}

const NOISE = [/^SLF4J: /, /^WATCHER::$/, /^WatchedEvent state:(SyncConnected|Closed) type:None path:null$/, /^\s*$/];
const EPOCH_DATE = 'Thu Jan 01 00:00:00 UTC 1970';
/** Commands whose output lines come from a Java HashSet/List of unspecified order. */
const UNORDERED_COMMANDS = /^(whoami|getEphemerals)\b/;

/**
 * Console output -> stable text: markers become "> command" headers, zxids are numbered by first
 * appearance (zxid#1...), dates become TIME (except the epoch, i.e. 0), session ids SESSION#n.
 * Output of whoami/getEphemerals is sorted (Apache prints HashSet order).
 */
export function normalizeZkCliOutput(raw: string, commands: readonly string[]): string {
  const zxids = new Map<string, string>();
  const sessions = new Map<string, string>();
  const zxidName = (hex: string): string => {
    if (BigInt(hex) === 0n) return '0x0';
    if (!zxids.has(hex)) zxids.set(hex, `zxid#${zxids.size + 1}`);
    return zxids.get(hex)!;
  };
  const sessionName = (hex: string): string => {
    if (BigInt(hex) === 0n) return '0x0';
    if (!sessions.has(hex)) sessions.set(hex, `SESSION#${sessions.size + 1}`);
    return sessions.get(hex)!;
  };
  const out: string[] = [];
  let section: string[] = [];
  let command = '';
  const endSection = (): void => {
    if (UNORDERED_COMMANDS.test(command)) section = section.map(sortBracketList).sort();
    out.push(...section);
    section = [];
  };
  for (const line of raw.split('\n')) {
    if (NOISE.some((r) => r.test(line))) continue;
    const marker = line.match(/^Node does not exist: \/zkcli-marker\/(\d+|end)$/);
    if (marker) {
      endSection();
      command = marker[1] === 'end' ? '' : (commands[Number(marker[1])] ?? '?');
      out.push(marker[1] === 'end' ? '> (end)' : `> ${command}`);
      continue;
    }
    let l = line.replace(/^Connecting to .*$/, 'Connecting to SERVER');
    l = l.replace(/^([cmp]Zxid = )(0x[0-9a-f]+)$/, (_, k: string, z: string) => k + zxidName(z));
    l = l.replace(/^([cm]time = )(.+)$/, (_, k: string, t: string) => k + (t === EPOCH_DATE ? EPOCH_DATE : 'TIME'));
    l = l.replace(/^(ephemeralOwner = )(0x[0-9a-f]+)$/, (_, k: string, s: string) => k + sessionName(s));
    l = l.replace(/0x[0-9a-f]{9,16}\b/g, (s) => sessionName(s));
    section.push(l);
  }
  endSection();
  return out.join('\n') + '\n';
}

/** "[b, a]" -> "[a, b]"; other lines unchanged. */
export function sortBracketList(line: string): string {
  const m = line.match(/^\[(.*)\]$/);
  if (!m || m[1] === '') return line;
  return `[${m[1]!.split(', ').sort().join(', ')}]`;
}

export function zkCliGoldenPath(name: string): string {
  return path.join(ZKCLI_GOLDEN_DIR, `${name}.txt`);
}
export function writeZkCliGolden(name: string, text: string): void {
  mkdirSync(ZKCLI_GOLDEN_DIR, { recursive: true });
  writeFileSync(zkCliGoldenPath(name), text);
}
export function readZkCliGolden(name: string): string | undefined {
  const p = zkCliGoldenPath(name);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}
