// Diagnosis: CPU time each server process spends per write, ours vs Apache, at one in-flight depth.
// Both 3-server ensembles up at once, loaded one at a time (like ensemble-bench); per member the
// user+system CPU of its whole process group from /proc (clock ticks), divided by the writes.
//   npx tsx bench/ensemble-cpu.ts [inFlight=8] [writeOps=8000] [warmupWrites=15000]
// Env KINDS=ours (or apache) measures one of them only. Apache's JIT needs more than a few thousand writes to reach its steady CPU cost, hence the long warm-up.
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { Ensemble } from '../src/compat/ensemble-cluster';
import { connect, prepareKeys, runClosedLoop, writeOp } from './load';

const CLOCK_TICKS_PER_S = 100;
const note = (line: string): void => void process.stdout.write(`${line}\n`);

interface GroupUsage {
  cpuMs: number;
  /** read/write system calls (/proc/PID/io syscr, syscw): socket and file I/O alike. */
  readCalls: number;
  writeCalls: number;
}

function ioCounters(pid: string): { syscr: number; syscw: number } {
  try {
    const text = readFileSync(`/proc/${pid}/io`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    return { syscr: field('syscr'), syscw: field('syscw') };
  } catch {
    return { syscr: 0, syscw: 0 };
  }
}

/** CPU and I/O calls of every process in a process group (the JVM or node and its children). */
function groupUsage(pgid: number): GroupUsage {
  let ticks = 0;
  let readCalls = 0;
  let writeCalls = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== pgid) continue; // field 5: pgrp
    ticks += Number(fields[11]) + Number(fields[12]); // fields 14, 15: utime, stime
    const io = ioCounters(entry);
    readCalls += io.syscr;
    writeCalls += io.syscw;
  }
  return { cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_S, readCalls, writeCalls };
}

function machineBusyMs(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3]! + cpu[4]!;
  const total = cpu.reduce((a, b) => a + b, 0);
  return ((total - idle) * 1000) / CLOCK_TICKS_PER_S;
}

async function main(): Promise<void> {
  const inFlight = Number(process.argv[2] ?? 8);
  const writeOps = Number(process.argv[3] ?? 8000);
  const warmupWrites = Number(process.argv[4] ?? 15_000);
  const payload = Buffer.alloc(100, 0x61);
  note(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}; ${warmupWrites} warm-up writes, then ${writeOps} setData of 100 B, ${inFlight} in flight, client on a follower`);
  const kinds = (process.env['KINDS'] ?? 'ours,apache').split(',') as Array<'ours' | 'apache'>;
  for (const kind of kinds) {
    const ensemble = await Ensemble.create({ kind, size: 3, timing: { tickTimeMs: 2000, initLimit: 10, syncLimit: 5 } });
    try {
      await ensemble.startAll();
      const leader = await ensemble.waitQuorum(90_000);
      const follower = ensemble.members.map((m) => m.id).find((id) => id !== leader)!;
      const client = await connect(ensemble.connectString([follower]));
      await prepareKeys(client, 100, payload);
      await runClosedLoop(warmupWrites, inFlight, writeOp(client, 100, payload));
      const ids = ensemble.members.map((m) => m.id);
      const before = ids.map((id) => groupUsage(ensemble.pidOf(id)!));
      const clientBefore = process.cpuUsage();
      const busyBefore = machineBusyMs();
      const result = await runClosedLoop(writeOps, inFlight, writeOp(client, 100, payload));
      const busy = machineBusyMs() - busyBefore;
      const clientCpu = process.cpuUsage(clientBefore);
      const perWrite = (ms: number): string => `${((ms * 1000) / writeOps).toFixed(0)} µs`;
      const roles = ids.map((id, i) => {
        const after = groupUsage(ensemble.pidOf(id)!);
        const calls = (n: number): string => (n / writeOps).toFixed(2);
        const role = id === leader ? 'leader' : id === follower ? 'client follower' : 'other follower';
        return `${role} ${perWrite(after.cpuMs - before[i]!.cpuMs)} (${calls(after.writeCalls - before[i]!.writeCalls)} write / ${calls(after.readCalls - before[i]!.readCalls)} read calls)`;
      });
      note(`${ensemble.label}: ${Math.round(result.opsPerSecond)} ops/s, p50 ${result.p50Ms.toFixed(2)} ms; CPU per write: ${roles.join(', ')}, bench client ${perWrite((clientCpu.user + clientCpu.system) / 1000)}, whole machine ${perWrite(busy)} (${Math.round(busy / result.seconds)} ms/s of 2000)`);
      client.close();
    } finally {
      await ensemble.stopAll();
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
