// Scripted zkCli.sh sessions (Debian's Java CLI) against OUR server, compared with Apache's
// golden console output (src/compat/golden-zkcli/<script>.txt, normalized).
//   npx vitest run src/compat/zkcli-sh.test.ts
// Needs /usr/share/zookeeper/bin/zkCli.sh (apt-get install zookeeper; or ZKCLI_SH=...) and our
// server (src/node/zk-main.ts or ZK_COMPAT_CONNECT); skipped otherwise. One JVM per script
// (~0.6-1 s each). ZK_COMPAT_LIVE_APACHE=1 also diffs against a live Apache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeZkCliOutput, readZkCliGolden, runZkCliScript, sortBracketList, zkCliAvailable, zkcliScripts } from './zkcli';
import { ourServerAvailable, startOurServer, type RunningServer } from './our-server';
import { startApacheStandalone, type ApacheStandalone } from '../../scripts/apache/apache-zk.mjs';

describe('zkCli output normalizer', () => {
  it('numbers zxids by first appearance, hides times and sessions, turns markers into headers', () => {
    const raw = [
      'Connecting to 127.0.0.1:1234',
      'SLF4J: noise',
      'Node does not exist: /zkcli-marker/0',
      'cZxid = 0x1f',
      'ctime = Sat Nov 21 23:28:53 UTC 2026',
      'mZxid = 0x20',
      'pZxid = 0x1f',
      'ephemeralOwner = 0x1000123abcd0001',
      'Node does not exist: /zkcli-marker/1',
      'ip: 127.0.0.1',
      'digest: alice',
      'Node does not exist: /zkcli-marker/end',
    ].join('\n');
    expect(normalizeZkCliOutput(raw, ['stat /x', 'whoami'])).toBe(
      [
        'Connecting to SERVER',
        '> stat /x',
        'cZxid = zxid#1',
        'ctime = TIME',
        'mZxid = zxid#2',
        'pZxid = zxid#1',
        'ephemeralOwner = SESSION#1',
        '> whoami',
        'digest: alice',
        'ip: 127.0.0.1',
        '> (end)',
        '',
      ].join('\n'),
    );
  });
  it('sorts bracket lists', () => {
    expect(sortBracketList('[b, a, c]')).toBe('[a, b, c]');
    expect(sortBracketList('[]')).toBe('[]');
    expect(sortBracketList('no list')).toBe('no list');
  });
});

const runnable = zkCliAvailable() && ourServerAvailable();
const suite = runnable ? describe : describe.skip;
const title = runnable
  ? 'zkCli.sh scripts: our server vs Apache golden output'
  : `zkCli.sh scripts: SKIPPED (${zkCliAvailable() ? 'src/node/zk-main.ts does not exist yet; or set ZK_COMPAT_CONNECT' : 'zkCli.sh not installed'})`;

suite(title, () => {
  let ours: RunningServer;
  let apache: ApacheStandalone | undefined;
  beforeAll(async () => {
    ours = await startOurServer();
    if (process.env.ZK_COMPAT_LIVE_APACHE === '1') apache = await startApacheStandalone({});
  }, 120_000);
  afterAll(async () => {
    await ours?.stop();
    await apache?.stop();
  });

  for (const script of zkcliScripts) {
    it(
      script.name,
      async () => {
        const golden = readZkCliGolden(script.name);
        if (golden === undefined) throw new Error(`no golden output for zkCli script ${script.name}`);
        const mine = await runZkCliScript(script, ours.connectString);
        expect(mine.normalized, `${script.about} (vs golden)`).toBe(golden);
        if (apache) {
          const theirs = await runZkCliScript(script, apache.connectString);
          expect(mine.normalized, `${script.about} (vs live Apache)`).toBe(theirs.normalized);
        }
      },
      60_000,
    );
  }
});
