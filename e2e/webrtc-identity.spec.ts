// MyId claiming through the PeerServer: the lowest free myid, unique across tabs and browsers,
// kept across a reload.
import { chromium, expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { uniqueCluster } from './app';
import { join, openFixture } from './fixtures/webrtc-helpers';

test('tabs in separate contexts get myids 1, 2, 3, and a reloaded tab keeps its myid', async ({ browser, baseURL }) => {
  const cluster = uniqueCluster('ids');
  const p1 = await openFixture(browser, baseURL!);
  const p2 = await openFixture(browser, baseURL!);
  expect((await join(p1, cluster)).myid).toBe(1);
  expect((await join(p2, cluster)).myid).toBe(2);
  const p3 = await openFixture(browser, baseURL!);
  expect(await join(p3, cluster)).toMatchObject({ myid: 3, role: 'participant' });

  await p2.reload();
  await p2.waitForFunction(() => window.zt?.ready === true);
  expect(await join(p2, cluster)).toMatchObject({ myid: 2, reclaimed: true });

  // Beyond the cluster size a tab joins as an observer.
  const p4 = await openFixture(browser, baseURL!);
  expect(await join(p4, cluster)).toMatchObject({ myid: 4, role: 'observer' });
});

test('two tabs of one context get distinct myids, and a closed tab frees its myid', async ({ context, baseURL }) => {
  const cluster = uniqueCluster('tabs');
  const p1 = await openFixture(await context.newPage(), baseURL!);
  const p2 = await openFixture(await context.newPage(), baseURL!);
  expect((await join(p1, cluster)).myid).toBe(1);
  expect((await join(p2, cluster)).myid).toBe(2);
  await p1.close(); // its pagehide handler unregisters the peer id
  const p3 = await openFixture(await context.newPage(), baseURL!);
  expect((await join(p3, cluster)).myid).toBe(1);
});

test('tabs of two separate browser processes get distinct myids', async ({ browser, baseURL }) => {
  const cluster = uniqueCluster('procs');
  const other = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const here = await openFixture(browser, baseURL!);
    const there = await openFixture(other, baseURL!);
    expect((await join(here, cluster)).myid).toBe(1);
    expect((await join(there, cluster)).myid).toBe(2);
    const third = await openFixture(other, baseURL!);
    expect((await join(third, cluster)).myid).toBe(3);
  } finally {
    await other.close();
  }
});

test('tabs joining at the same moment never share a myid', async ({ browser, baseURL }) => {
  const cluster = uniqueCluster('race');
  const pages = await Promise.all([0, 1, 2, 3, 4].map(() => openFixture(browser, baseURL!)));
  const ids = await Promise.all(pages.map((p) => join(p, cluster)));
  expect(ids.map((r) => r.myid).sort()).toEqual([1, 2, 3, 4, 5]);
});
