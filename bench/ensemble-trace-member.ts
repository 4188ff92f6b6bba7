// Diagnosis only: runs one ensemble member like `npm run zk -- zoo.cfg`, but prints the core's
// election and replication trace events (state changes, votes, sync, peer messages other than
// proposals/acks/commits) with wall-clock milliseconds, to see where failover time goes.
//   node --import tsx bench/ensemble-trace-member.ts zoo.cfg
import { readFileSync } from 'node:fs';
import { parseZooCfg } from '../src/node/zoo-cfg';
import { startEnsembleMember } from '../src/node/ensemble-node';
import type { TraceEvent } from '../src/zk/trace';

const QUIET = new Set(['request', 'reply', 'txn', 'applied', 'log.append', 'log.durable', 'proposal', 'ack', 'commit', 'watch.set', 'watch.fired', 'watch.removed']);
const QUIET_MSG = new Set(['PROPOSAL', 'ACK', 'COMMIT', 'PING', 'REQUEST']);

const stamp = (): string => `${new Date().toISOString()} ${performance.timeOrigin + performance.now()}`;
const log = (line: string): void => void process.stdout.write(`${stamp()} ${line}\n`);
const json = (event: TraceEvent): string => JSON.stringify(event, (_key, value: unknown) => (typeof value === 'bigint' ? `0x${value.toString(16)}` : value));

/** ENSEMBLE_TRACE_ALL=1: every event, for following single writes through the pipeline. */
const ALL = process.env['ENSEMBLE_TRACE_ALL'] === '1';

function onTrace(event: TraceEvent): void {
  if (ALL) return log(`TRACE ${json(event)}`);
  if (QUIET.has(event.type)) return;
  if ((event.type === 'msg.sent' || event.type === 'msg.received') && QUIET_MSG.has(event.kind.toUpperCase())) return;
  log(`TRACE ${json(event)}`);
}

const cfg = parseZooCfg(readFileSync(process.argv[2]!, 'utf8'));
const running = await startEnsembleMember(cfg, { log, onTrace });
process.on('SIGTERM', () => void running.stop().then(() => process.exit(0)));
