// Markdown for the ensemble benchmark: write/read cells side by side, then failover times per
// fault and tickTime with medians, trials and the server-side breakdown.
import type { FailoverTrial, Fault } from './ensemble-failover';
import { throughputTable } from './report';
import type { CellResult } from './throughput';

export interface FailoverRow {
  fault: Fault;
  tickTimeMs: number;
  ours: FailoverTrial[];
  apache: FailoverTrial[];
}

export interface EnsembleReport {
  date: string;
  machine: string;
  loadAverage: string;
  ours: CellResult[];
  apache: CellResult[];
  failover: FailoverRow[];
  notes: string[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ms = (value: number | null): string => (value === null || Number.isNaN(value) ? 'n/a' : String(Math.round(value)));
const medianOf = (trials: readonly FailoverTrial[], pick: (t: FailoverTrial) => number | null): number => {
  const values = trials.map(pick).filter((v): v is number => v !== null);
  return values.length === trials.length ? median(values) : Number.NaN;
};

const faultName = (fault: Fault): string => (fault === 'kill' ? 'leader kill -9' : 'leader SIGSTOP');

export function failoverTable(rows: readonly FailoverRow[]): string {
  const lines = rows.map((row) => {
    const o = medianOf(row.ours, (t) => t.firstWriteMs);
    const a = medianOf(row.apache, (t) => t.firstWriteMs);
    const ratio = (o / a).toFixed(2);
    const trials = (ts: readonly FailoverTrial[]): string => ts.map((t) => ms(t.firstWriteMs)).join(', ');
    return `| ${faultName(row.fault)} | ${row.tickTimeMs} | ${ms(o)} (${trials(row.ours)}) | ${ms(a)} (${trials(row.apache)}) | **${ratio}** | ${o / a <= 0.75 ? 'yes' : 'no'} |`;
  });
  return [
    '| fault -> next successful write | tickTime ms | ours median ms (trials) | Apache median ms (trials) | ours/Apache | goal <= 0.75 met |',
    '|---|---:|---:|---:|---:|---|',
    ...lines,
  ].join('\n');
}

/** Server-side breakdown (medians, ms after the fault): from srvr polled every 20 ms on the survivors. */
export function breakdownTable(rows: readonly FailoverRow[]): string {
  const line = (row: FailoverRow, label: string, trials: readonly FailoverTrial[]): string =>
    `| ${faultName(row.fault)} | ${row.tickTimeMs} | ${label} | ${ms(medianOf(trials, (t) => t.noticedMs))} | ${ms(medianOf(trials, (t) => t.leaderServingMs))} | ${ms(medianOf(trials, (t) => t.quorumServingMs))} | ${ms(medianOf(trials, (t) => t.firstWriteMs))} |`;
  return [
    '| fault | tickTime ms | server | survivor stops serving | new leader serves | both survivors serve | client write ok |',
    '|---|---:|---|---:|---:|---:|---:|',
    ...rows.flatMap((row) => [line(row, 'ours', row.ours), line(row, 'Apache', row.apache)]),
  ].join('\n');
}

export function problemsList(rows: readonly FailoverRow[]): string[] {
  const out: string[] = [];
  for (const row of rows) {
    for (const [label, trials] of [['ours', row.ours], ['Apache', row.apache]] as const) {
      trials.forEach((t, i) => {
        for (const p of t.problems) out.push(`${label} ${faultName(row.fault)} tickTime=${row.tickTimeMs} trial ${i + 1}: ${p}`);
      });
    }
  }
  return out;
}

export function renderEnsembleReport(report: EnsembleReport): string {
  const problems = problemsList(report.failover);
  return [
    '# Ensemble benchmark: ZooTabs vs Apache ZooKeeper, 3 servers on 127.0.0.1',
    '',
    `Date: ${report.date}  `,
    `Machine: ${report.machine}  `,
    `Load average: ${report.loadAverage}`,
    '',
    '## Throughput and latency (tickTime=2000, client on a follower)',
    '',
    throughputTable(report.ours, report.apache),
    '',
    '## Failover (initLimit=10, syncLimit=5; a client writing every 10 ms through the two followers)',
    '',
    failoverTable(report.failover),
    '',
    'Where the time goes (medians, ms after the fault; srvr polled every 20 ms on the two survivors):',
    '',
    breakdownTable(report.failover),
    '',
    problems.length === 0 ? 'Every trial: session kept, every acknowledged write present after sync (ensemble-verify.ts).' : `Problems:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    '',
    ...report.notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
}
