// Recipes (seed scenarios 3-7) run by several client sessions of one page, watched under faults:
// a lock survives its holder's server being killed and passes in order when sessions close; config
// watchers all see a set; a standby takes over from a closed active; and, across tabs, the lock
// passes on when the holder's tab is closed and its session expires.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { uniqueCluster } from './app';
import { openCluster, server, stableEnsemble, TEST_TICK_MS } from './cluster';
import { openTabs } from './tabs';
import { openTab } from './ui-views';

function participant(page: Page, name: string): Locator {
  return page.getByRole('group', { name: `participant ${name}`, exact: true });
}

function holder(page: Page): Locator {
  return page.getByRole('status', { name: 'lock holder' });
}

function recipeEvents(page: Page): Locator {
  return page.getByRole('log', { name: 'recipe events' });
}

/** Chooses a recipe in the Recipes view and starts `count` participants; waits until all are connected. */
async function startRecipe(page: Page, recipe: string, count: number, names: string[]): Promise<void> {
  await openTab(page, 'Recipes');
  await page.getByRole('combobox', { name: 'recipe' }).selectOption({ label: recipe });
  await page.getByRole('spinbutton', { name: 'participants' }).fill(String(count));
  await page.getByRole('button', { name: 'Start participants' }).click();
  for (const name of names) await expect(participant(page, name).getByText('CONNECTED', { exact: true })).toBeVisible({ timeout: 30_000 });
}

async function sessionOf(page: Page, name: string): Promise<string> {
  const text = (await participant(page, name).textContent()) ?? '';
  const id = /session (0x[0-9a-f]+)/.exec(text)?.[1];
  if (id === undefined) throw new Error(`${name} shows no session: ${text}`);
  return id;
}

async function serverOf(page: Page, name: string): Promise<number> {
  const text = (await participant(page, name).textContent()) ?? '';
  const id = Number(/on server(\d+):2181/.exec(text)?.[1]);
  if (!Number.isInteger(id)) throw new Error(`${name} shows no server: ${text}`);
  return id;
}

async function simulated(page: Page, prefix: string): Promise<void> {
  await openCluster(page, uniqueCluster(prefix));
  await stableEnsemble(page, 3, 45_000);
}

test('lock: the holder keeps the lock when its server is killed; closing sessions passes it in order', async ({ page }) => {
  test.setTimeout(150_000);
  await simulated(page, 'recipe-lock');
  await startRecipe(page, 'distributed lock', 3, ['p1', 'p2', 'p3']);
  for (const name of ['p1', 'p2', 'p3']) {
    await participant(page, name).getByRole('button', { name: 'Acquire lock' }).click();
    // In order, so the line is p1, p2, p3.
    await expect(participant(page, name).getByLabel('recipe status')).toHaveText(name === 'p1' ? /^held/ : /^waiting/, { timeout: 20_000 });
  }
  await expect(holder(page)).toHaveText('p1');
  await expect(participant(page, 'p3').getByLabel('recipe status')).toContainText('watching');
  await expect(page.getByRole('region', { name: 'recipe state' })).toContainText('waiting: p2 → p3');

  // Kill the server p1 is connected to: its session moves to another server and keeps the lock.
  const session = await sessionOf(page, 'p1');
  const killed = await serverOf(page, 'p1');
  await openTab(page, 'Cluster');
  await page.getByRole('button', { name: `Kill server ${killed}` }).click();
  await expect(server(page, killed).getByText('KILLED', { exact: true })).toBeVisible();
  await openTab(page, 'Recipes');
  await expect.poll(() => serverOf(page, 'p1'), { timeout: 30_000 }).not.toBe(killed);
  await expect(participant(page, 'p1').getByText('CONNECTED', { exact: true })).toBeVisible({ timeout: 30_000 });
  expect(await sessionOf(page, 'p1')).toBe(session);
  await expect(participant(page, 'p1').getByLabel('recipe status')).toHaveText(/^held/);
  await expect(holder(page)).toHaveText('p1', { timeout: 20_000 });
  await expect(recipeEvents(page)).toContainText('p1 reconnected to');

  // Closing p1's session deletes its ephemeral node: p2 holds; then p2's: p3 holds.
  await participant(page, 'p1').getByRole('button', { name: 'Close session p1' }).click();
  await expect(holder(page)).toHaveText('p2', { timeout: 30_000 });
  await expect(participant(page, 'p2').getByLabel('recipe status')).toHaveText(/^held/);
  await expect(participant(page, 'p3').getByLabel('recipe status')).toHaveText(/^waiting/);
  await participant(page, 'p2').getByRole('button', { name: 'Close session p2' }).click();
  await expect(holder(page)).toHaveText('p3', { timeout: 30_000 });
  await expect(participant(page, 'p3').getByLabel('recipe status')).toHaveText(/^held/);
  const acquired = (await recipeEvents(page).getByText(/holds the lock/).allTextContents()).map((t) => /(p\d) holds/.exec(t)?.[1]);
  expect(acquired).toEqual(['p1', 'p2', 'p3']);
});

test('config watch: a set from one participant reaches all three watchers', async ({ page }) => {
  test.setTimeout(120_000);
  await simulated(page, 'recipe-config');
  await startRecipe(page, 'config watch', 3, ['p1', 'p2', 'p3']);
  await page.getByRole('textbox', { name: 'value' }).fill('color=blue');
  await participant(page, 'p2').getByRole('button', { name: 'Set config' }).click();
  for (const name of ['p1', 'p2', 'p3']) {
    await expect(participant(page, name).getByLabel('recipe status')).toHaveText('config "color=blue" (version 0)', { timeout: 20_000 });
  }
  await page.getByRole('textbox', { name: 'value' }).fill('color=red');
  await participant(page, 'p3').getByRole('button', { name: 'Set config' }).click();
  for (const name of ['p1', 'p2', 'p3']) {
    await expect(participant(page, name).getByLabel('recipe status')).toHaveText('config "color=red" (version 1)', { timeout: 20_000 });
    await expect(recipeEvents(page)).toContainText(`${name} notified: NodeDataChanged /config`);
  }
  await expect(page.getByRole('status', { name: 'config value' })).toHaveText('color=red');
});

test('client election: when the active session closes, the standby becomes active', async ({ page }) => {
  test.setTimeout(120_000);
  await simulated(page, 'recipe-election');
  await startRecipe(page, 'active/standby election', 2, ['p1', 'p2']);
  const active = page.getByRole('status', { name: 'active participant' });
  await expect(active).toHaveText(/^p[12]$/, { timeout: 20_000 });
  const first = (await active.textContent()) as string;
  const other = first === 'p1' ? 'p2' : 'p1';
  await expect(participant(page, first).getByLabel('recipe status')).toHaveText('active');
  await expect(participant(page, other).getByLabel('recipe status')).toHaveText('standby', { timeout: 20_000 });
  await participant(page, first).getByRole('button', { name: `Close session ${first}` }).click();
  await expect(active).toHaveText(other, { timeout: 30_000 });
  await expect(participant(page, other).getByLabel('recipe status')).toHaveText('active');
});

/**
 * Tabs mode: starts one lock participant in `page` and queues it; a session that ends before it is
 * queued (the tab ensemble can lose its leader under load, and sessions expire after 20 ticks) is
 * replaced by a fresh participant. Returns the queued participant's name.
 */
async function queueForLock(page: Page, tab: number, expected: RegExp): Promise<string> {
  await openTab(page, 'Recipes');
  await page.getByRole('combobox', { name: 'recipe' }).selectOption({ label: 'distributed lock' });
  await page.getByRole('spinbutton', { name: 'participants' }).fill('1');
  const attempts = 3;
  for (let attempt = 1; ; attempt++) {
    const name = `p${attempt}@tab${tab}`;
    await page.getByRole('button', { name: 'Start participants' }).click();
    try {
      await expect(participant(page, name).getByText('CONNECTED', { exact: true })).toBeVisible({ timeout: 30_000 });
      await participant(page, name).getByRole('button', { name: 'Acquire lock' }).click();
      await expect(participant(page, name).getByLabel('recipe status')).toHaveText(expected, { timeout: 30_000 });
      return name;
    } catch (error) {
      if (attempt >= attempts) throw error;
      const close = participant(page, name).getByRole('button', { name: `Close session ${name}` });
      if (await close.isEnabled({ timeout: 5_000 }).catch(() => false)) await close.click();
    }
  }
}

test('tabs: closing the lock holder\'s tab passes the lock, after its session expires, to the next tab in line', async ({ context }) => {
  test.setTimeout(300_000);
  const cluster = uniqueCluster('recipe-tabs');
  const pages = await openTabs(context, cluster);
  for (const [i, page] of pages.entries()) {
    await expect(server(page, i + 1).getByText(/^(LEADING|FOLLOWING)$/)).toBeVisible({ timeout: 60_000 });
  }
  // One lock participant per tab, queued in tab order.
  const [tab1, tab2, tab3] = pages as [Page, Page, Page];
  const first = await queueForLock(tab1, 1, /^held/);
  const second = await queueForLock(tab2, 2, /^waiting/);
  const third = await queueForLock(tab3, 3, /^waiting/);
  await expect(holder(tab3)).toHaveText(first, { timeout: 20_000 });
  await expect(holder(tab2)).toHaveText(first, { timeout: 20_000 });

  // The holder's tab goes away (its server and its sessions with it): after the session timeout
  // (at most 20 ticks) the ensemble expires the session, deletes its node, and tab 2 holds.
  await tab1.close();
  await expect(participant(tab2, second).getByLabel('recipe status')).toHaveText(/^held/, { timeout: 60_000 });
  await expect(holder(tab2)).toHaveText(second, { timeout: 30_000 });
  await expect(holder(tab3)).toHaveText(second, { timeout: 30_000 });
  await expect(participant(tab3, third).getByLabel('recipe status')).toHaveText(/^waiting/);
});
