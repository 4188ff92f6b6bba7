// Leader failover with a real client against real processes: a 3-server ensemble of ours and one of
// Apache ZooKeeper 3.8, from the same zoo.cfg settings on 127.0.0.1 (tickTime=200, initLimit=10,
// syncLimit=5). node-zookeeper-client, given all three addresses, writes continuously (named
// creates, sequential creates, setData; 4 in flight); the leader (srvr: Mode: leader) is killed
// with SIGKILL mid-stream; writing goes on until 30 writes issued after the kill are acknowledged.
// Then: the session id never changed and never expired, its ephemeral node is still there, and each
// surviving server, after sync, holds every acknowledged write with the right data and versions.
// Also: `conf` on a member prints the quorum keys and membership exactly as Apache's does.
// The Apache half skips itself (with the reason in its name) when java or the Debian jar is missing.
import { afterAll, describe, expect, it } from 'vitest';
import { fourLetterWord } from '../../scripts/apache/apache-zk.mjs';
import { apacheUnavailableReason, Ensemble, type EnsembleKind, FAST_TIMING } from './ensemble-cluster';
import { ContinuousWriter } from './ensemble-writer';
import { verifyWrites } from './ensemble-verify';

const ACKED_BEFORE_KILL = 30;
const ACKED_AFTER_KILL = 30;
const QUORUM_TIMEOUT_MS = 45_000;
const AFTER_KILL_TIMEOUT_MS = 20_000;
const TEST_TIMEOUT_MS = 80_000;

const apacheMissing = apacheUnavailableReason();

/** `conf` of a quorum member as Apache 3.8.0 prints it (keys in order; membership as the static config). */
async function expectQuorumConf(ensemble: Ensemble, id: number): Promise<void> {
  const me = ensemble.member(id);
  const text = await fourLetterWord(me.clientPort, 'conf');
  const [settings, membership] = text.split('membership: \n');
  const keys = settings!.split('\n').filter((line) => line !== '').map((line) => line.split('=')[0]);
  expect(keys).toEqual([
    'clientPort', 'secureClientPort', 'dataDir', 'dataDirSize', 'dataLogDir', 'dataLogSize', 'tickTime', 'maxClientCnxns',
    'minSessionTimeout', 'maxSessionTimeout', 'clientPortListenBacklog', 'serverId',
    'initLimit', 'syncLimit', 'electionAlg', 'electionPort', 'quorumPort', 'peerType',
  ]);
  expect(settings).toContain(`serverId=${id}\ninitLimit=10\nsyncLimit=5\nelectionAlg=3\nelectionPort=${me.electionPort}\nquorumPort=${me.quorumPort}\npeerType=0\n`);
  const servers = ensemble.members.map((m) => `server.${m.id}=127.0.0.1:${m.quorumPort}:${m.electionPort}:participant;127.0.0.1:${m.clientPort}`);
  expect(membership).toBe([...servers, 'version=0'].join('\n'));
}

function failoverSuite(kind: EnsembleKind): void {
  let ensemble: Ensemble | null = null;
  let writer: ContinuousWriter | null = null;

  afterAll(async () => {
    writer?.close();
    await ensemble?.stopAll();
  });

  it(
    'kill -9 of the leader while writing: same session, every acknowledged write on both survivors',
    async () => {
      ensemble = await Ensemble.create({ kind, size: 3, timing: FAST_TIMING });
      await ensemble.startAll();
      await ensemble.waitQuorum(QUORUM_TIMEOUT_MS);
      await expectQuorumConf(ensemble, 1);

      writer = new ContinuousWriter({ connectString: ensemble.connectString(), root: '/failover', inFlight: 4, intervalMs: 2 });
      await writer.prepare();
      const sessionId = writer.sessionIdAtStart;
      writer.start();
      await writer.waitFor(() => writer!.ackedCount >= ACKED_BEFORE_KILL, 20_000, `${ACKED_BEFORE_KILL} acked writes`);

      // The leader as srvr reports it right now (not as remembered from startup).
      const leader = await ensemble.waitQuorum(5_000);
      const clientPort = writer.client.connectionManager?.socket?.remotePort as number | undefined;
      const clientOn = ensemble.members.find((m) => m.clientPort === clientPort)?.id;
      const killAtMs = performance.now();
      await ensemble.kill9(leader);
      await writer.waitAckedIssuedSince(killAtMs, ACKED_AFTER_KILL, AFTER_KILL_TIMEOUT_MS);
      const failoverMs = writer.firstAckAfter(killAtMs);
      await writer.stop();

      expect(writer.sawExpired(), `session events: ${JSON.stringify(writer.sessionEvents)}`).toBe(false);
      expect(writer.sessionIdHex()).toBe(sessionId);
      expect(writer.records.filter((r) => r.status === 'pending')).toEqual([]);
      const unexpectedErrors = writer.records.filter((r) => r.status === 'failed' && r.errorCode !== -4 /* CONNECTION_LOSS */);
      expect(unexpectedErrors).toEqual([]);

      const survivors = ensemble.running();
      const newLeader = await ensemble.waitQuorum(QUORUM_TIMEOUT_MS, survivors);
      expect(newLeader).not.toBe(leader);
      for (const id of survivors) {
        const report = await verifyWrites(writer, ensemble.connectString([id]));
        expect(report.problems, `server ${id}`).toEqual([]);
        expect(report.acked).toBeGreaterThanOrEqual(ACKED_BEFORE_KILL + ACKED_AFTER_KILL);
        if (id === survivors[0]) {
          console.log(
            `${ensemble.label}: killed leader ${leader} (client was on ${clientOn ?? '?'}); new leader ${newLeader}; ` +
              `first ack of a write issued after the kill: ${failoverMs?.toFixed(0)} ms; writes acked ${report.acked}, ` +
              `failed ${report.failed} (of which applied: ${report.appliedFailedCreates} creates); /failover/s version ${report.finalSetVersion}`,
          );
        }
      }
    },
    TEST_TIMEOUT_MS,
  );
}

describe('ensemble failover: ours, 3 servers', () => failoverSuite('ours'));

describe.skipIf(apacheMissing !== null)(
  `ensemble failover: Apache ZooKeeper 3.8, 3 servers${apacheMissing === null ? '' : ` (SKIPPED: ${apacheMissing})`}`,
  () => failoverSuite('apache'),
);
