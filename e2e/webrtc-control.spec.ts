// The control plane between real tabs: a BroadcastChannel inside one browser, the links' 'control'
// data channels across browsers, each message delivered once, and still working when a tab's
// server worker is dead.
import { chromium, expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { uniqueCluster } from './app';
import { join, openFixture, rpc, waitLinked } from './fixtures/webrtc-helpers';

type Got = Array<{ from: number; via: string; body: { type: string; command?: { kind: string } } }>;

test('two tabs of one browser: control messages arrive once, over the BroadcastChannel and the control channel', async ({ context, baseURL }) => {
  const cluster = uniqueCluster('ctl');
  const a = await openFixture(await context.newPage(), baseURL!);
  const b = await openFixture(await context.newPage(), baseURL!);
  const ja = await join(a, cluster);
  const jb = await join(b, cluster);
  await waitLinked(a, ja.myid, b, jb.myid);
  await expect.poll(() => a.evaluate(() => window.zt.controlPeers())).toEqual([jb.myid]);
  await a.evaluate((to) => window.zt.controlSend(to, { type: 'fault', command: { kind: 'freeze', target: to, durationMs: 1000 } }), jb.myid);
  await expect.poll(() => b.evaluate(() => window.zt.controlReceived() as Got)).toHaveLength(1);
  const got = (await b.evaluate(() => window.zt.controlReceived())) as Got;
  expect(got[0]).toMatchObject({ from: ja.myid, body: { type: 'fault', command: { kind: 'freeze' } } });
  // The second copy (the other path) is dropped as a repeat.
  await expect.poll(() => b.evaluate(() => window.zt.controlStats().duplicates)).toBe(1);
});

test('two browser processes: control messages cross on the control data channel, even with the server worker dead', async ({ browser, baseURL }) => {
  const cluster = uniqueCluster('ctlproc');
  const other = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const a = await openFixture(browser, baseURL!);
    const b = await openFixture(other, baseURL!);
    const ja = await join(a, cluster);
    const jb = await join(b, cluster);
    await waitLinked(a, ja.myid, b, jb.myid);
    await expect.poll(() => b.evaluate(() => window.zt.controlPeers())).toEqual([ja.myid]);
    await a.evaluate(() => window.zt.killWorker(false)); // the quorum side of tab a is gone
    expect(await rpc<string>(b, { op: 'linkState', peer: ja.myid })).toBe('up'); // (nobody told b's worker)
    await b.evaluate(() => window.zt.controlSend('all', { type: 'fault', command: { kind: 'heal' } }));
    await expect.poll(() => a.evaluate(() => window.zt.controlReceived() as Got)).toHaveLength(1);
    const got = (await a.evaluate(() => window.zt.controlReceived())) as Got;
    expect(got[0]).toMatchObject({ from: jb.myid, via: 'peer', body: { type: 'fault', command: { kind: 'heal' } } });
  } finally {
    await other.close();
  }
});
