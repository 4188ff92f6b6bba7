// Multi-tab mode: a tab's client sessions (zkCli console, page session behind the tree) list every
// server of the cluster and reach the other tabs' servers through client tunnels over WebRTC.
// Killing a tab's own server moves its sessions to another tab's server, keeping them: same
// session id, its ephemeral node still there, writes through its console succeed again.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { consoleOutput, run, uniqueCluster } from './app';
import { consoleConnected, pageSessionId, runUntil, server } from './cluster';
import { TABS_TICK_MS as SHARED_TABS_TICK_MS } from './tabs';

/** The tabs' tickTime shared by every multi-tab spec (e2e/tabs.ts explains the choice). */
const TABS_TICK_MS = SHARED_TABS_TICK_MS;
const ROLE = /^(LEADING|FOLLOWING)$/;

async function openTabs(context: BrowserContext, cluster: string): Promise<Page[]> {
  const pages: Page[] = [];
  // One at a time, so the claims come out as myids 1, 2, 3 in page order.
  for (const myid of [1, 2, 3]) {
    const page = await context.newPage();
    await page.goto(`/?cluster=${cluster}&size=3&mode=tabs&tickTime=${TABS_TICK_MS}`);
    await expect(server(page, myid)).toBeVisible({ timeout: 30_000 });
    pages.push(page);
  }
  return pages;
}

async function stateOf(page: Page, myid: number): Promise<string> {
  return ((await server(page, myid).locator('.state-word').textContent()) ?? '').trim();
}

/** The ephemeralOwner (session id) `stat` prints for `path`, as read through this tab's console. */
async function ephemeralOwner(page: Page, path: string): Promise<string> {
  const owners = consoleOutput(page).getByText(/^ephemeralOwner = 0x[0-9a-f]+$/);
  await runUntil(page, `stat ${path}`, /^ephemeralOwner = 0x[0-9a-f]+$/, 30_000);
  const line = (await owners.last().textContent()) ?? '';
  return line.replace('ephemeralOwner = ', '');
}

for (const victim of ['LEADING', 'FOLLOWING'] as const) {
  test(`killing a tab's own ${victim === 'LEADING' ? 'leader' : 'follower'} moves its zkCli session to another tab's server, same session`, async ({ context }) => {
    test.setTimeout(180_000);
    const cluster = uniqueCluster(`tabfo-${victim.toLowerCase()}`);
    const pages = await openTabs(context, cluster);
    await Promise.all(pages.map((page, i) => expect(server(page, i + 1).getByText(ROLE)).toBeVisible({ timeout: 60_000 })));
    const states = await Promise.all(pages.map((page, i) => stateOf(page, i + 1)));
    expect(states.filter((s) => s === 'LEADING')).toHaveLength(1);
    const x = states.indexOf(victim) + 1;
    const y = [1, 2, 3].find((id) => id !== x) as number;
    const tabX = pages[x - 1] as Page;
    const tabY = pages[y - 1] as Page;
    const tag = victim.toLowerCase();

    // The console's connect string lists every server, this tab's own first.
    await consoleConnected(tabX);
    const others = [1, 2, 3].filter((id) => id !== x);
    await expect(tabX.locator('.console .prompt')).toContainText(`[zk: server${x}:2181,server${others[0]}:2181,server${others[1]}:2181(CONNECTED)`);

    await runUntil(tabX, `create -e /eph-${tag} e`, `Created /eph-${tag}`);
    await runUntil(tabX, `create /reg-${tag} r`, `Created /reg-${tag}`);
    const owner = await ephemeralOwner(tabX, `/eph-${tag}`);
    expect(owner).not.toBe('0x0');
    const pageSession = await pageSessionId(tabX);
    await consoleConnected(tabY);
    expect(await ephemeralOwner(tabY, `/eph-${tag}`)).toBe(owner);

    const killedAt = Date.now();
    await tabX.getByRole('button', { name: `Kill server ${x}` }).click();
    await expect(server(tabX, x).getByText('KILLED', { exact: true })).toBeVisible();
    if (victim === 'LEADING') {
      // The two other tabs elect a new leader between themselves first.
      const survivors = async (): Promise<string> => (await Promise.all(others.map((id) => stateOf(pages[id - 1] as Page, id)))).sort().join(',');
      await expect.poll(survivors, { timeout: 45_000 }).toBe('FOLLOWING,LEADING');
    }

    // X's own server is dead: this create can only be served by a server in another tab.
    await runUntil(tabX, `create /after-${tag} a`, `Created /after-${tag}`, 60_000);
    test.info().annotations.push({ type: 'X writes again after its server was killed', description: `${Date.now() - killedAt} ms` });
    await expect(tabX.locator('.console .prompt')).toContainText('(CONNECTED)');
    // Same session: it still owns its ephemeral, which every tab still sees with the same owner.
    await runUntil(tabX, 'getEphemerals', `[/eph-${tag}]`);
    expect(await ephemeralOwner(tabX, `/eph-${tag}`)).toBe(owner);
    expect(await ephemeralOwner(tabY, `/eph-${tag}`)).toBe(owner);
    await runUntil(tabY, `get /after-${tag}`, 'a');
    await runUntil(tabY, `get /reg-${tag}`, 'r');
    await expect(consoleOutput(tabX)).not.toContainText('Expired');
    // The page's own session (behind the tree) failed over too, keeping its id.
    expect(await pageSessionId(tabX)).toBe(pageSession);
    await expect(tabX.getByRole('tree', { name: 'znode tree' }).getByRole('treeitem', { name: `after-${tag}`, exact: true })).toBeVisible({ timeout: 30_000 });
  });
}

// A new session through a tunnel, chosen by zkCli's `connect serverN:2181`. This used to hang:
// Chrome may deliver the far tab's 'ok' before the client's channel fires 'open', and the tunnel
// took a still 'connecting' channel for a dead one (src/net/client-tunnel.ts channelByteStream).
test("zkCli's connect chooses another tab's server explicitly", async ({ context }) => {
  test.setTimeout(150_000);
  const cluster = uniqueCluster('tabconnect');
  const pages = await openTabs(context, cluster);
  await Promise.all(pages.map((page, i) => expect(server(page, i + 1).getByText(ROLE)).toBeVisible({ timeout: 60_000 })));
  const tab1 = pages[0] as Page;
  await consoleConnected(tab1);
  await run(tab1, 'connect server3:2181');
  await expect(tab1.locator('.console .prompt')).toContainText('[zk: server3:2181(CONNECTED)', { timeout: 30_000 });
  await runUntil(tab1, 'create -e /via3 x', 'Created /via3');
  // The session lives on server 3: killing tab 1's own server does not disturb it.
  await tab1.getByRole('button', { name: 'Kill server 1' }).click();
  await expect(server(tab1, 1).getByText('KILLED', { exact: true })).toBeVisible();
  await runUntil(tab1, 'getEphemerals', '[/via3]', 30_000);
  await runUntil(pages[1] as Page, 'ls /', /via3/, 30_000);
});
