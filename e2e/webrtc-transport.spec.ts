// The quorum transport between two real tabs: WebRTC data channels signalled through the
// PeerServer, transferred to each tab's server worker, carrying ordered frames and chunked big ones.
import { chromium, expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { uniqueCluster } from './app';
import { checkOrderedAndBig, join, openFixture, rpc, waitLinked } from './fixtures/webrtc-helpers';

test('two contexts: ordered messages and a 100 KB frame, worker to worker', async ({ browser, baseURL }) => {
  const cluster = uniqueCluster('rtc');
  const a = await openFixture(browser, baseURL!);
  const b = await openFixture(browser, baseURL!);
  const ja = await join(a, cluster);
  const jb = await join(b, cluster);
  await waitLinked(a, ja.myid, b, jb.myid);
  await checkOrderedAndBig(a, b, jb.myid, ja.myid);
  // And the other way round, on the same link.
  await rpc(b, { op: 'sendText', peer: ja.myid, text: 'back' });
  await expect.poll(async () => (await rpc<Array<{ text: string }>>(a, { op: 'received' })).map((r) => r.text)).toEqual(['back']);
  // One connection per pair: the link came up once on each side, on the one quorum channel.
  expect((await rpc<{ linkUps: number }>(a, { op: 'stats' })).linkUps).toBe(1);
  expect((await rpc<{ linkUps: number }>(b, { op: 'stats' })).linkUps).toBe(1);
  expect(await b.evaluate(() => window.zt.linkStats())).toMatchObject({ dials: 1, quorumChannels: 1 });
});

test('two browser processes: ordered messages and a 100 KB frame', async ({ browser, baseURL }) => {
  const cluster = uniqueCluster('rtcproc');
  const other = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const a = await openFixture(browser, baseURL!);
    const b = await openFixture(other, baseURL!);
    const ja = await join(a, cluster);
    const jb = await join(b, cluster);
    await waitLinked(a, ja.myid, b, jb.myid);
    await checkOrderedAndBig(b, a, ja.myid, jb.myid);
  } finally {
    await other.close();
  }
});

test('relay mode (channel kept on the page) carries the same traffic', async ({ browser, baseURL }) => {
  const cluster = uniqueCluster('relay');
  const a = await openFixture(browser, baseURL!);
  const b = await openFixture(browser, baseURL!);
  const ja = await join(a, cluster, 3, 'relay');
  const jb = await join(b, cluster, 3, 'relay');
  await waitLinked(a, ja.myid, b, jb.myid);
  await checkOrderedAndBig(a, b, jb.myid, ja.myid);
});

test('a broken link comes back on a new channel, and a reloaded tab is linked again', async ({ browser, baseURL }) => {
  const cluster = uniqueCluster('rtcbreak');
  const a = await openFixture(browser, baseURL!);
  const b = await openFixture(browser, baseURL!);
  const ja = await join(a, cluster);
  const jb = await join(b, cluster);
  await waitLinked(a, ja.myid, b, jb.myid);

  // disconnect() closes the channel: both ends see 'down', then a fresh channel comes up.
  await rpc(a, { op: 'disconnect', peer: jb.myid });
  await expect.poll(() => rpc<{ linkDowns: number }>(b, { op: 'stats' }).then((s) => s.linkDowns)).toBeGreaterThanOrEqual(1);
  await waitLinked(a, ja.myid, b, jb.myid);
  await rpc(a, { op: 'sendText', peer: jb.myid, text: 'after-break' });
  await expect.poll(async () => (await rpc<Array<{ text: string }>>(b, { op: 'received' })).map((r) => r.text)).toEqual(['after-break']);

  // The smaller myid's tab reloads: same myid, a new RTCPeerConnection, the link is up again.
  await a.reload();
  await a.waitForFunction(() => window.zt?.ready === true);
  expect((await join(a, cluster)).myid).toBe(ja.myid);
  await waitLinked(a, ja.myid, b, jb.myid);
  await rpc(b, { op: 'sendText', peer: ja.myid, text: 'hello-again' });
  await expect.poll(async () => (await rpc<Array<{ text: string }>>(a, { op: 'received' })).map((r) => r.text)).toEqual(['hello-again']);
});

test('a killed server worker: terminate() alone leaves its channels open, resetting the links closes them', async ({ browser, baseURL }) => {
  const cluster = uniqueCluster('rtckill');
  const a = await openFixture(browser, baseURL!);
  const b = await openFixture(browser, baseURL!);
  const ja = await join(a, cluster);
  const jb = await join(b, cluster);
  await waitLinked(a, ja.myid, b, jb.myid);
  await a.evaluate(() => window.zt.killWorker(false));
  // Nothing reaches the far worker: its link stays 'up' (liveness must come from heartbeats).
  await a.waitForTimeout(3000);
  expect(await rpc<string>(b, { op: 'linkState', peer: ja.myid })).toBe('up');
  // A deliberate kill closes the RTCPeerConnection too, as a dead process's sockets are reset.
  await a.evaluate(() => window.zt.killWorker(true));
  await expect.poll(() => rpc<{ linkDowns: number }>(b, { op: 'stats' }).then((s) => s.linkDowns), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
  await expect.poll(() => a.evaluate((p) => window.zt.linkPhase(p), jb.myid), { timeout: 10_000 }).toBe('connected');
});
