// Markdown for the standalone benchmark: throughput/latency cells side by side, then restart times.
import type { CellResult } from './throughput';

export interface RestartRow {
  label: string;
  /** Median ms from spawn to first served getData. */
  medianMs: number;
  allMs: number[];
}

export interface BenchReport {
  date: string;
  machine: string;
  notes: string[];
  ours: CellResult[];
  apache: CellResult[];
  restartTxns: number;
  oursRestart: RestartRow[];
  apacheRestart: RestartRow;
}

const fmt = (value: number, digits = 0): string => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function cellRow(ours: CellResult, apache: CellResult | undefined): string {
  const o = ours.result;
  const a = apache?.result;
  const ratio = a === undefined ? 'n/a' : (o.opsPerSecond / a.opsPerSecond).toFixed(2);
  const name = ours.kind === 'write' ? 'setData 100 B' : 'getData 100 B';
  return `| ${name} | ${ours.inFlight} | ${fmt(o.opsPerSecond)} | ${a ? fmt(a.opsPerSecond) : 'n/a'} | **${ratio}** | ${o.p50Ms.toFixed(2)} / ${o.p99Ms.toFixed(2)} | ${a ? `${a.p50Ms.toFixed(2)} / ${a.p99Ms.toFixed(2)}` : 'n/a'} |`;
}

export function throughputTable(ours: CellResult[], apache: CellResult[]): string {
  const rows = ours.map((cell) => cellRow(cell, apache.find((a) => a.kind === cell.kind && a.inFlight === cell.inFlight)));
  return [
    '| workload | in flight | ours ops/s | Apache ops/s | ours/Apache | ours p50 / p99 ms | Apache p50 / p99 ms |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

export function restartTable(txns: number, ours: RestartRow[], apache: RestartRow): string {
  const list = (row: RestartRow): string => row.allMs.map((ms) => fmt(ms)).join(', ');
  const rows = ours.map((row) => `| ${row.label} | ${fmt(row.medianMs)} | ${list(row)} | ${fmt(apache.medianMs)} | **${(apache.medianMs / row.medianMs).toFixed(2)}** |`);
  return [
    `| restart with ${fmt(txns)} txns in the log (spawn -> getData ok) | ours median ms | ours trials ms | Apache median ms | Apache/ours |`,
    '|---|---:|---|---:|---:|',
    ...rows,
    `| ${apache.label} | | | ${fmt(apache.medianMs)} (trials: ${list(apache)}) | |`,
  ].join('\n');
}

export function renderReport(report: BenchReport): string {
  return [
    '# Standalone benchmark: ZooTabs vs Apache ZooKeeper',
    '',
    `Date: ${report.date}  `,
    `Machine: ${report.machine}`,
    '',
    throughputTable(report.ours, report.apache),
    '',
    restartTable(report.restartTxns, report.oursRestart, report.apacheRestart),
    '',
    ...report.notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
}
