// ZooKeeperApi cases (api-scenarios.ts: containers, TTL, addWatch, whoAmI, ...) run with OUR
// client against OUR server, compared with golden transcripts recorded with our client against
// Apache (src/compat/golden-api). Skipped until src/node/zk-main.ts exists (or ZK_COMPAT_CONNECT).
// Slow cases (container reaping, ~60 s on Apache) only with ZK_COMPAT_SLOW=1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCases, runApiCase } from './api-scenarios';
import { API_GOLDEN_DIR, diffTranscripts, ignoredKeysFromEnv, readGolden } from './golden';
import { ourClientFactory } from './our-client-factory';
import { ourServerAvailable, startOurServer, type RunningServer } from './our-server';

const slow = process.env.ZK_COMPAT_SLOW === '1';
const selected = apiCases.filter((c) => slow || !c.slowMs);
const ignore = ignoredKeysFromEnv();

describe('compat api harness', () => {
  it('has a golden transcript for every fast api case', () => {
    const missing = apiCases.filter((c) => !c.slowMs && readGolden(c.name, API_GOLDEN_DIR) === undefined).map((c) => c.name);
    expect(missing, 'record with: npx tsx scripts/apache/record-golden.ts --api').toEqual([]);
  });
});

const suite = ourServerAvailable() ? describe : describe.skip;
suite(ourServerAvailable() ? 'compat api: our client + our server vs Apache golden' : 'compat api: SKIPPED, src/node/zk-main.ts does not exist yet (or set ZK_COMPAT_CONNECT)', () => {
  let ours: RunningServer;
  beforeAll(async () => {
    ours = await startOurServer();
  }, 120_000);
  afterAll(async () => {
    await ours?.stop();
  });
  for (const c of selected) {
    it(
      c.name,
      async () => {
        const golden = readGolden(c.name, API_GOLDEN_DIR);
        if (!golden) throw new Error(`no golden transcript for ${c.name}`);
        const mine = await runApiCase(c, ourClientFactory(ours.connectString));
        const diff = diffTranscripts(golden.transcript, mine, ignore);
        if (!diff) return;
        const report = `${c.name}: ${c.about}\n${diff}`;
        if (c.informational) console.warn(`[compat-api] informational difference\n${report}`);
        else expect.fail(report);
      },
      (c.slowMs ?? 0) + 60_000,
    );
  }
});
