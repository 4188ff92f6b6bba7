// Runs every compatibility case against OUR server and compares with Apache's golden transcript.
//   npx vitest run src/compat/compat.test.ts
// Runs when src/node/zk-main.ts exists (or ZK_COMPAT_CONNECT=host:port names a running server);
// otherwise the suite is skipped with a message. Options (env):
//   ZK_COMPAT_ONLY=case1,case2     only these cases
//   ZK_COMPAT_IGNORE=rz            ignore these transcript keys (rz = reply-header zxid)
//   ZK_COMPAT_LIVE_APACHE=1        also run each case on a live Apache (Debian zookeeper) and diff
//                                  ours against that live transcript (golden still reported)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from './scenarios';
import { diffTranscripts, ignoredKeysFromEnv, readGolden } from './golden';
import { runCase } from './runner';
import { ourServerAvailable, startOurServer, type RunningServer } from './our-server';
import { startApacheStandalone, type ApacheStandalone } from '../../scripts/apache/apache-zk.mjs';

const only = process.env.ZK_COMPAT_ONLY?.split(',').filter(Boolean);
const selected = only ? cases.filter((c) => only.includes(c.name)) : cases;
const ignore = ignoredKeysFromEnv();
const live = process.env.ZK_COMPAT_LIVE_APACHE === '1';
const CASE_TIMEOUT_MS = 90_000;

describe('compat harness', () => {
  it('has a golden transcript for every case', () => {
    const missing = cases.filter((c) => readGolden(c.name) === undefined).map((c) => c.name);
    expect(missing, 'record with: npx tsx scripts/apache/record-golden.ts').toEqual([]);
  });
  it('has at least 60 distinct cases', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });
});

const suite = ourServerAvailable() ? describe : describe.skip;
const title = ourServerAvailable()
  ? 'compat: our server vs Apache ZooKeeper golden transcripts'
  : 'compat: SKIPPED, src/node/zk-main.ts does not exist yet (create it, or set ZK_COMPAT_CONNECT=host:port)';

suite(title, () => {
  let ours: RunningServer;
  let apache: ApacheStandalone | undefined;
  beforeAll(async () => {
    ours = await startOurServer();
    if (live) apache = await startApacheStandalone({});
  }, 120_000);
  afterAll(async () => {
    await ours?.stop();
    await apache?.stop();
  });

  // Sequential on purpose: cases share one server, in the order the golden files were recorded.
  for (const c of selected) {
    it(
      c.name,
      async () => {
        const golden = readGolden(c.name);
        if (!golden) throw new Error(`no golden transcript for ${c.name}`);
        const mine = await runCase(c, ours.connectString);
        const problems: string[] = [];
        const vsGolden = diffTranscripts(golden.transcript, mine.transcript, ignore);
        if (vsGolden) problems.push(`vs golden (${golden.server}):\n${vsGolden}`);
        if (apache) {
          const theirs = await runCase(c, apache.connectString);
          const vsLive = diffTranscripts(theirs.transcript, mine.transcript, ignore);
          const drift = diffTranscripts(golden.transcript, theirs.transcript, ignore);
          if (vsLive) problems.push(`vs live Apache ${apache.version}:\n${vsLive}`);
          if (drift) console.warn(`[compat] ${c.name}: live Apache differs from golden (flaky case or Apache changed):\n${drift}`);
        }
        if (problems.length === 0) return;
        const report = `${c.name}: ${c.about}\n${problems.join('\n')}`;
        if (c.informational) {
          console.warn(`[compat] informational difference (not a failure)\n${report}`);
          return;
        }
        expect.fail(report);
      },
      CASE_TIMEOUT_MS,
    );
  }
});
