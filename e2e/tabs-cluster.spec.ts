// A ZooKeeper ensemble made of browser tabs (`?mode=tabs`): each tab claims a myid on the
// PeerServer, runs one QuorumPeer in its worker and peers with the other tabs over WebRTC. The
// tabs elect a leader; a write through one tab's server is read through another's.
import { expect, test, type Page } from '@playwright/test';
import { consoleOutput, uniqueCluster } from './app';
import { consoleConnected, runUntil, server } from './cluster';
import { claimTab } from './tabs';

test('three tabs claim myids 1-3, elect a leader over WebRTC, and replicate a write', async ({ context }) => {
  test.setTimeout(120_000);
  const cluster = uniqueCluster('tabs');
  const pages: Page[] = [];
  // One at a time, so the claims come out as 1, 2, 3 in page order.
  for (const myid of [1, 2, 3]) {
    const page = await context.newPage();
    await claimTab(page, cluster, myid);
    // The first tab alone is not a quorum of 3: it looks for peers until the second tab opens.
    if (myid === 1) await expect(server(page, 1).getByText('LOOKING', { exact: true })).toBeVisible({ timeout: 20_000 });
    pages.push(page);
  }
  const [a, b, c] = pages as [Page, Page, Page];

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

  // Every tab also draws the other tabs' servers from their trace events (relayed over the control
  // plane): the leader's commit of that create shows in a follower's tab, marked with the leader's id.
  const leaderAt = states.indexOf('LEADING');
  const follower = pages[(leaderAt + 1) % 3] as Page;
  const filters = follower.getByRole('group', { name: 'event filters' });
  for (const category of ['session', 'watch', 'storage', 'quorum', 'warn']) {
    const chip = filters.getByRole('button', { name: category, exact: true });
    if ((await chip.getAttribute('aria-pressed')) === 'true') await chip.click();
  }
  await expect(follower.getByRole('log', { name: 'event log' })).toContainText(new RegExp(`s${leaderAt + 1} commit0x[0-9a-f]+`), { timeout: 15_000 });

  // Killing the leading tab's server resets its WebRTC links: the other two tabs elect a new
  // leader between themselves; restarted, the server rejoins as a follower.
  const leaderIndex = states.indexOf('LEADING');
  const leaderPage = pages[leaderIndex] as Page;
  const leaderId = leaderIndex + 1;
  await leaderPage.getByRole('button', { name: `Kill server ${leaderId}` }).click();
  await expect(server(leaderPage, leaderId).getByText('KILLED', { exact: true })).toBeVisible();
  const survivors = [1, 2, 3].filter((id) => id !== leaderId);
  const survivorStates = async (): Promise<string> => {
    const words = await Promise.all(survivors.map((id) => server(pages[id - 1] as Page, id).locator('.state-word').textContent()));
    return words.sort().join(',');
  };
  await expect.poll(survivorStates, { timeout: 30_000 }).toBe('FOLLOWING,LEADING');
  await leaderPage.getByRole('button', { name: `Restart server ${leaderId}` }).click();
  await expect(server(leaderPage, leaderId).getByText('FOLLOWING', { exact: true })).toBeVisible({ timeout: 30_000 });
});

test('a lone tab stays LOOKING without a quorum of tabs', async ({ page }) => {
  const cluster = uniqueCluster('lone');
  await claimTab(page, cluster, 1);
  await expect(server(page, 1).getByText('LOOKING', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('status', { name: 'quorum' })).toContainText('no quorum');
});
