// A ZooKeeper ensemble made of browser tabs (`?mode=tabs`): each tab claims a myid on the
// PeerServer, runs one QuorumPeer in its worker and peers with the other tabs over WebRTC. The
// tabs elect a leader; a write through one tab's server is read through another's.
import { expect, test, type Page } from '@playwright/test';
import { consoleOutput, uniqueCluster } from './app';
import { consoleConnected, runUntil, server, TEST_TICK_MS } from './cluster';

async function openTab(page: Page, cluster: string, myid: number): Promise<void> {
  await page.goto(`/?cluster=${cluster}&size=3&mode=tabs&tickTime=${TEST_TICK_MS}`);
  // Each tab shows its own server only, named by the myid it claimed.
  await expect(server(page, myid)).toBeVisible({ timeout: 30_000 });
}

test('three tabs claim myids 1-3, elect a leader over WebRTC, and replicate a write', async ({ context }) => {
  test.setTimeout(120_000);
  const cluster = uniqueCluster('tabs');
  const pages: Page[] = [];
  // One at a time, so the claims come out as 1, 2, 3 in page order.
  for (const myid of [1, 2, 3]) {
    const page = await context.newPage();
    await openTab(page, cluster, myid);
    pages.push(page);
  }
  const [a, b, c] = pages as [Page, Page, Page];

  // Alone, the first tab has no quorum: LOOKING (it was before the others opened, or is again).
  const states = await Promise.all(
    pages.map(async (page, i) => {
      const card = server(page, i + 1);
      await expect(card.getByText(/^(LEADING|FOLLOWING)$/)).toBeVisible({ timeout: 45_000 });
      return (await card.getByText(/^(LEADING|FOLLOWING)$/).textContent()) ?? '';
    }),
  );
  expect(states.filter((s) => s === 'LEADING')).toHaveLength(1);
  expect(states.filter((s) => s === 'FOLLOWING')).toHaveLength(2);

  await consoleConnected(a);
  await runUntil(a, 'create /t 1', 'Created /t');
  await consoleConnected(b);
  await runUntil(b, 'get /t', '1');
  await expect(consoleOutput(c)).not.toContainText('Expired');
});

test('a lone tab stays LOOKING without a quorum of tabs', async ({ page }) => {
  const cluster = uniqueCluster('lone');
  await openTab(page, cluster, 1);
  await expect(server(page, 1).getByText('LOOKING', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('status', { name: 'quorum' })).toContainText('no quorum');
});
