// Multi-tab mode with the PeerServer unreachable (pointed at a port where nothing listens): each
// tab says so in plain words and offers "Simulate N servers here", and the tabs of this one
// browser still form their ensemble, claiming myids with Web Locks and linking their server
// workers over a BroadcastChannel. Killing a server takes its links down for the others.
import { createServer } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { consoleOutput, run, uniqueCluster } from './app';
import { consoleConnected, server } from './cluster';
import { expectOneEnsembleInOwnTabs, readUntil } from './tabs';

/**
 * Longer than the other cluster tests' 200 ms: sessions may last 20 ticks, and on a heavily loaded
 * machine three tabs plus their workers can stall a page for longer than 4 s.
 */
const FALLBACK_TICK_MS = 1000;

/** A TCP port nobody listens on: bound by us for a moment, then released. */
async function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function fallbackUrl(cluster: string, port: number): string {
  return `/?cluster=${cluster}&size=3&mode=tabs&tickTime=${FALLBACK_TICK_MS}&peerServer=127.0.0.1:${port}`;
}

async function openFallbackTab(page: Page, cluster: string, port: number, myid: number): Promise<void> {
  await page.goto(fallbackUrl(cluster, port));
  // The plain-words message, how the tabs are linked now, and the way out.
  await expect(page.getByRole('alert').filter({ hasText: 'PeerServer' })).toContainText(`The PeerServer at 127.0.0.1:${port}/peerjs is unreachable`, { timeout: 20_000 });
  await expect(page.getByRole('alert').filter({ hasText: 'PeerServer' })).toContainText('the tabs of this browser still form it, linked over a BroadcastChannel');
  await expect(page.getByRole('status', { name: 'links' })).toHaveText('links: BroadcastChannel (PeerServer unreachable)');
  await expect(page.getByRole('button', { name: 'Simulate 3 servers here' })).toBeVisible();
  // Each tab shows its own server, named by the myid it claimed.
  await expect(server(page, myid)).toBeVisible({ timeout: 30_000 });
}

/**
 * The dev server reloads every page when any source file changes (others edit the tree while these
 * tests run); a reload restarts a tab's server mid-test. Vite's HMR socket is answered by a silent
 * stand-in, so the pages stay as the test drives them.
 */
test.beforeEach(async ({ context }) => {
  await context.routeWebSocket(/\/\?token=/, () => undefined);
});

const stateWord = async (page: Page, myid: number): Promise<string> => (await server(page, myid).locator('.state-word').textContent()) ?? '';

test('without a PeerServer, three tabs of one browser claim myids 1-3 over Web Locks, elect one leader over a BroadcastChannel, and replicate a write', async ({ context }) => {
  test.setTimeout(300_000);
  const cluster = uniqueCluster('fallback');
  const port = await unusedPort();
  const pages: Page[] = [];
  // One at a time, so the claims come out as 1, 2, 3 in page order.
  for (const myid of [1, 2, 3]) {
    const page = await context.newPage();
    await openFallbackTab(page, cluster, port, myid);
    // The first tab alone is not a quorum of 3: it looks for peers until the second tab opens.
    if (myid === 1) await expect(server(page, 1).getByText('LOOKING', { exact: true })).toBeVisible({ timeout: 20_000 });
    pages.push(page);
  }
  const [a, b, c] = pages as [Page, Page, Page];

  const states = await expectOneEnsembleInOwnTabs(pages);

  await consoleConnected(a);
  // Once: a create is not idempotent, and its reply may be slow on a loaded machine.
  await run(a, 'create /fallback hello');
  await expect(consoleOutput(a).getByText('Created /fallback', { exact: true })).toBeVisible({ timeout: 60_000 });
  await consoleConnected(b);
  await readUntil(b, 'get /fallback', 'hello');
  await consoleConnected(c);
  await readUntil(c, 'get /fallback', 'hello');
  await expect(consoleOutput(c)).not.toContainText('Expired');

  // Killing the leading tab's server: its BroadcastChannel links go down for the other two, which
  // elect a new leader between themselves; restarted, it rejoins as a follower.
  const leaderIndex = states.indexOf('LEADING');
  const leaderPage = pages[leaderIndex] as Page;
  const leaderId = leaderIndex + 1;
  await leaderPage.getByRole('button', { name: `Kill server ${leaderId}` }).click();
  await expect(server(leaderPage, leaderId).getByText('KILLED', { exact: true })).toBeVisible();
  const survivors = [1, 2, 3].filter((id) => id !== leaderId);
  const survivorStates = async (): Promise<string> => {
    const words = await Promise.all(survivors.map((id) => stateWord(pages[id - 1] as Page, id)));
    return words.sort().join(',');
  };
  // Each survivor sees the killed server gone (its links down: src/worker/quorum-runtime-broadcast.test.ts checks the link states).
  for (const id of survivors) {
    await expect((pages[id - 1] as Page).getByRole('status', { name: 'quorum' })).toContainText(/\b2 of 3 (up|reachable)/, { timeout: 20_000 });
  }
  await expect.poll(survivorStates, { timeout: 30_000 }).toBe('FOLLOWING,LEADING');
  await leaderPage.getByRole('button', { name: `Restart server ${leaderId}` }).click();
  await expect(server(leaderPage, leaderId).getByText('FOLLOWING', { exact: true })).toBeVisible({ timeout: 30_000 });
  const survivorPage = pages[(survivors[0] as number) - 1] as Page;
  await consoleConnected(survivorPage);
  await readUntil(survivorPage, 'get /fallback', 'hello');

  // A closed tab says nothing at all: the others notice its silence (no hellos) within seconds.
  for (const page of pages) await expect(page.getByRole('status', { name: 'quorum' })).toContainText(/\b3 of 3 (up|reachable)/, { timeout: 30_000 });
  const closedIndex = survivors[1] as number;
  await (pages[closedIndex - 1] as Page).close();
  for (const id of [1, 2, 3].filter((i) => i !== closedIndex)) {
    await expect((pages[id - 1] as Page).getByRole('status', { name: 'quorum' })).toContainText(/\b2 of 3 (up|reachable)/, { timeout: 20_000 });
  }
});

test('the fallback tab offers the single-tab mode: "Simulate 3 servers here" runs the ensemble in this tab', async ({ page }) => {
  test.setTimeout(90_000);
  const cluster = uniqueCluster('fallback-sim');
  const port = await unusedPort();
  await openFallbackTab(page, cluster, port, 1);
  await page.getByRole('button', { name: 'Simulate 3 servers here' }).click();
  await expect(page).toHaveURL(/mode=simulate/);
  expect(page.url()).not.toContain('peerServer');
  for (const myid of [1, 2, 3]) await expect(server(page, myid)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('status', { name: 'links' })).toHaveCount(0);
});
