// Multi-tab mode (`?mode=tabs`) as a person sees it: several tabs of one cluster, each drawing
// every server of the cluster from the control plane's status reports.
import { expect, type BrowserContext, type Page } from '@playwright/test';
import { consoleOutput, run } from './app';
import { server, TEST_TICK_MS } from './cluster';

export const TAB_IDS = [1, 2, 3] as const;
/**
 * tickTime of the tabs (E2E_TABS_TICK_MS overrides). Twice the simulate-mode tick: sessions may last
 * at most 20 ticks, and three tabs (three pages, three workers, WebRTC) on a 2-core machine need
 * more than 4 s of slack; 400 ms gives 8 s while syncLimit (5 ticks) stays 2 s.
 */
export const TABS_TICK_MS = Number(process.env['E2E_TABS_TICK_MS'] ?? 2 * TEST_TICK_MS);

/** Opens `page` as a tab of `cluster` and waits until it has claimed `myid`. */
export async function claimTab(page: Page, cluster: string, myid: number): Promise<void> {
  await page.goto(`/?cluster=${cluster}&size=3&mode=tabs&tickTime=${TABS_TICK_MS}`);
  // The tab's own server carries the "this tab" badge once its myid is claimed.
  await expect(server(page, myid).getByText('this tab', { exact: true })).toBeVisible({ timeout: 30_000 });
}

/** Opens `count` tabs of `cluster` one after another, so they claim myids 1..count in page order. */
export async function openTabs(context: BrowserContext, cluster: string, count = 3): Promise<Page[]> {
  const pages: Page[] = [];
  for (let myid = 1; myid <= count; myid++) {
    const page = await context.newPage();
    await claimTab(page, cluster, myid);
    pages.push(page);
  }
  return pages;
}

/** The state word each server's card shows in `page`, by myid ("" when not drawn). */
export async function statesIn(page: Page, ids: readonly number[] = TAB_IDS): Promise<Record<number, string>> {
  const out: Record<number, string> = {};
  for (const id of ids) out[id] = ((await server(page, id).locator('.state-word').textContent({ timeout: 5000 }).catch(() => '')) ?? '').trim();
  return out;
}

/** Waits until `page` shows exactly one LEADING server and every other one of `ids` FOLLOWING; returns the leader. */
export async function stableIn(page: Page, ids: readonly number[] = TAB_IDS, timeout = 45_000): Promise<number> {
  let leader = 0;
  await expect
    .poll(
      async () => {
        const states = await statesIn(page, ids);
        const leading = ids.filter((id) => states[id] === 'LEADING');
        const following = ids.filter((id) => states[id] === 'FOLLOWING');
        leader = leading.length === 1 ? (leading[0] as number) : 0;
        return leading.length === 1 && following.length === ids.length - 1;
      },
      { timeout, intervals: [250, 500, 1000] },
    )
    .toBe(true);
  return leader;
}

/** A number fact of a server card ("znodes", "epoch"), as text. */
export async function fact(page: Page, myid: number, name: string): Promise<string> {
  const text = (await server(page, myid).textContent()) ?? '';
  const match = new RegExp(`${name}([0-9a-fx–]+)`).exec(text);
  return match?.[1] ?? '';
}

/**
 * Creates `path` through the tab's zkCli, retrying after a ConnectionLoss; a retry that finds the
 * node already there (the first try did land, its answer was slow) counts as done.
 */
export async function createThrough(page: Page, path: string, data: string, timeout = 60_000): Promise<void> {
  const output = consoleOutput(page);
  const done = output.getByText(new RegExp(`^(Created ${path}|Node already exists: ${path})$`));
  await expect(async () => {
    if ((await done.count()) > 0) return;
    await run(page, `create ${path} ${data}`);
    await expect(done.first()).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout });
}

/**
 * Each tab (pages[i] runs server i+1) shows its own server LEADING or FOLLOWING, and exactly one
 * of them leads: the tabs formed one ensemble, whatever carries their links. Returns the state words.
 */
export async function expectOneEnsembleInOwnTabs(pages: readonly Page[], timeout = 45_000): Promise<string[]> {
  const states = await Promise.all(
    pages.map(async (page, i) => {
      await expect(server(page, i + 1).getByText(/^(LEADING|FOLLOWING)$/)).toBeVisible({ timeout });
      return ((await server(page, i + 1).locator('.state-word').textContent()) ?? '').trim();
    }),
  );
  expect(states.filter((s) => s === 'LEADING')).toHaveLength(1);
  expect(states.filter((s) => s === 'FOLLOWING')).toHaveLength(pages.length - 1);
  return states;
}

/**
 * Runs a read until its output shows `expected`. Like cluster.ts's runUntil, but each try may take
 * 15 s: on a loaded machine a reply can take longer than runUntil's 3 s, and a retry then races it.
 */
export async function readUntil(page: Page, line: string, expected: string, timeout = 60_000): Promise<void> {
  const shown = consoleOutput(page).getByText(expected, { exact: true });
  await expect(async () => {
    const before = await shown.count();
    await run(page, line);
    await expect(shown).toHaveCount(before + 1, { timeout: 15_000 });
  }).toPass({ timeout });
}
