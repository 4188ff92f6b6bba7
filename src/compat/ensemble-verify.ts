// Checks a ContinuousWriter's record against what one server holds after `sync`: every
// acknowledged write is there with its data, acknowledged setData versions and zxids increase,
// the final setData value and version are those of the last acknowledged setData, writes that
// failed with connection loss were applied as a prefix (never a hole followed by an applied one),
// and the writer's ephemeral node still belongs to its session. The reading session is a second,
// independent client (ours, which has `sync`; node-zookeeper-client has none).
import { ZooKeeper } from '../client/zookeeper';
import { tcpConnector } from '../client/node-tcp';
import { KeeperException, Code } from '../zk/errors';
import { KeeperState } from '../zk/types';
import type { ContinuousWriter, WriteRecord } from './ensemble-writer';

const decoder = new TextDecoder();

export interface VerifyReport {
  problems: string[];
  acked: number;
  failed: number;
  pending: number;
  /** Failed (connection loss) creates that turned out applied. */
  appliedFailedCreates: number;
  finalSetVersion: number;
}

function openReader(connectString: string, timeoutMs: number): Promise<ZooKeeper> {
  return new Promise((resolve, reject) => {
    let zk: ZooKeeper | undefined = undefined;
    const timer = setTimeout(() => {
      void zk?.close();
      reject(new Error(`verify: no session with ${connectString} within ${timeoutMs} ms`));
    }, timeoutMs);
    zk = new ZooKeeper(
      connectString,
      30_000,
      (event) => {
        if (event.state === KeeperState.SyncConnected && zk !== undefined && zk.getSessionId() !== 0n) {
          clearTimeout(timer);
          resolve(zk);
        }
      },
      { connector: tcpConnector },
    );
  });
}

async function dataOf(zk: ZooKeeper, path: string): Promise<{ data: string; version: number; ephemeralOwner: bigint } | null> {
  try {
    const { data, stat } = await zk.getData(path);
    return { data: data === null ? '' : decoder.decode(data), version: stat.version, ephemeralOwner: stat.ephemeralOwner };
  } catch (error) {
    if (error instanceof KeeperException && error.code === Code.NoNode) return null;
    throw error;
  }
}

function checkIncreasing(records: readonly WriteRecord[], problems: string[]): void {
  const sets = records.filter((r) => r.kind === 'setData' && r.status === 'acked').sort((a, b) => a.index - b.index);
  for (let i = 1; i < sets.length; i++) {
    const prev = sets[i - 1]!;
    const cur = sets[i]!;
    if (cur.version! <= prev.version!) problems.push(`setData #${cur.index} acked version ${cur.version} after #${prev.index} acked version ${prev.version}`);
    if (cur.mzxid! <= prev.mzxid!) problems.push(`setData #${cur.index} mzxid 0x${cur.mzxid!.toString(16)} not after #${prev.index} 0x${prev.mzxid!.toString(16)}`);
  }
  const seqs = records.filter((r) => r.kind === 'sequential' && r.status === 'acked').sort((a, b) => a.index - b.index);
  for (let i = 1; i < seqs.length; i++) {
    if (seqs[i]!.createdPath! <= seqs[i - 1]!.createdPath!) problems.push(`sequential #${seqs[i]!.index} got ${seqs[i]!.createdPath} after ${seqs[i - 1]!.createdPath}`);
  }
}

/** Reads the writer's tree from `connectString` (one server) after sync and compares. */
export async function verifyWrites(writer: ContinuousWriter, connectString: string, timeoutMs = 20_000): Promise<VerifyReport> {
  const records = writer.records;
  const root = writer.options.root;
  const problems: string[] = [];
  checkIncreasing(records, problems);
  const zk = await openReader(connectString, timeoutMs);
  try {
    await zk.sync(root);
    const children = new Set(await zk.getChildren(root));
    const seqByData = new Map<string, string>();
    for (const child of children) {
      if (!child.startsWith('q-')) continue;
      const node = await dataOf(zk, `${root}/${child}`);
      if (node !== null) seqByData.set(node.data, `${root}/${child}`);
    }
    const applied = async (r: WriteRecord): Promise<boolean> => {
      if (r.kind === 'create') return children.has(`n${r.index}`);
      return seqByData.has(r.data);
    };
    // Acknowledged creates: present, with their data.
    for (const r of records.filter((x) => x.status === 'acked' && x.kind !== 'setData')) {
      const node = await dataOf(zk, r.createdPath!);
      if (node === null) problems.push(`acked ${r.kind} #${r.index} ${r.createdPath} is missing`);
      else if (node.data !== r.data) problems.push(`acked ${r.kind} #${r.index} ${r.createdPath} holds "${node.data}", expected "${r.data}"`);
      else if (node.version !== 0) problems.push(`${r.createdPath} has version ${node.version}, expected 0`);
    }
    // Unacknowledged creates: those applied form a prefix of the unacknowledged ones, in issue order.
    const unacked = records.filter((x) => x.status !== 'acked' && x.kind !== 'setData').sort((a, b) => a.index - b.index);
    let appliedFailedCreates = 0;
    let firstNotApplied: WriteRecord | null = null;
    for (const r of unacked) {
      if (await applied(r)) {
        appliedFailedCreates++;
        if (firstNotApplied !== null && r.status === 'failed' && firstNotApplied.status === 'failed') {
          problems.push(`failed ${r.kind} #${r.index} was applied although the earlier failed ${firstNotApplied.kind} #${firstNotApplied.index} was not (FIFO order broken)`);
        }
      } else firstNotApplied ??= r;
    }
    // No foreign nodes: every child is one we wrote.
    const known = new Set(records.filter((r) => r.kind === 'create').map((r) => `n${r.index}`));
    const knownSeqData = new Set(records.filter((r) => r.kind === 'sequential').map((r) => r.data));
    for (const child of children) {
      if (child === 's' || child === 'ephemeral' || known.has(child)) continue;
      if (child.startsWith('q-') && [...seqByData].some(([data, path]) => path === `${root}/${child}` && knownSeqData.has(data))) continue;
      problems.push(`unexpected node ${root}/${child}`);
    }
    // setData: final value and version are the last acknowledged ones (writes after the fault were acked).
    const ackedSets = records.filter((r) => r.kind === 'setData' && r.status === 'acked').sort((a, b) => a.index - b.index);
    const failedSets = records.filter((r) => r.kind === 'setData' && r.status !== 'acked').length;
    const s = await dataOf(zk, `${root}/s`);
    const lastSet = ackedSets.at(-1);
    if (s === null) problems.push(`${root}/s is missing`);
    else if (lastSet !== undefined) {
      const laterUnacked = records.some((r) => r.kind === 'setData' && r.status !== 'acked' && r.index > lastSet.index);
      if (!laterUnacked && s.data !== lastSet.data) problems.push(`${root}/s holds "${s.data}", last acked setData wrote "${lastSet.data}"`);
      if (!laterUnacked && s.version !== lastSet.version) problems.push(`${root}/s version ${s.version}, last acked setData returned ${lastSet.version}`);
      if (s.version < ackedSets.length || s.version > ackedSets.length + failedSets) {
        problems.push(`${root}/s version ${s.version} outside [${ackedSets.length}, ${ackedSets.length + failedSets}] (acked, acked + failed setData)`);
      }
    }
    // The session's ephemeral node survived, owned by the same session.
    const eph = await dataOf(zk, `${root}/ephemeral`);
    if (eph === null) problems.push(`${root}/ephemeral is gone: the writer's session ended`);
    else if (eph.ephemeralOwner.toString(16).padStart(16, '0') !== writer.sessionIdAtStart) {
      problems.push(`${root}/ephemeral owned by 0x${eph.ephemeralOwner.toString(16)}, writer session 0x${writer.sessionIdAtStart}`);
    }
    return {
      problems,
      acked: records.filter((r) => r.status === 'acked').length,
      failed: records.filter((r) => r.status === 'failed').length,
      pending: records.filter((r) => r.status === 'pending').length,
      appliedFailedCreates,
      finalSetVersion: s?.version ?? -1,
    };
  } finally {
    await zk.close();
  }
}
