// What a person does with the single-tab ensemble ("Simulate N servers here"), by role and name.
import { expect, type Locator, type Page } from '@playwright/test';
import { consoleOutput, run } from './app';

/** Small tickTime keeps every protocol timeout short (syncLimit 5 ticks = 1 s). */
export const TEST_TICK_MS = 200;
export const STATE_WORDS = ['LEADING', 'FOLLOWING', 'LOOKING', 'OBSERVING', 'KILLED', 'FROZEN', 'STARTING'] as const;

export function server(page: Page, myid: number): Locator {
  return page.getByRole('group', { name: `server ${myid}`, exact: true });
}

export function serversIn(page: Page, state: string): Locator {
  return page.getByRole('group', { name: /^server \d+$/ }).filter({ has: page.getByText(state, { exact: true }) });
}

/** Opens the tab straight in simulate mode. */
export async function openCluster(page: Page, cluster: string, size = 3): Promise<void> {
  await page.goto(`/?cluster=${cluster}&size=${size}&mode=simulate&tickTime=${TEST_TICK_MS}`);
}

/** Waits for one leader and size-1 followers; returns the leader's myid. */
export async function stableEnsemble(page: Page, size = 3, timeout = 30_000): Promise<number> {
  await expect(serversIn(page, 'LEADING')).toHaveCount(1, { timeout });
  await expect(serversIn(page, 'FOLLOWING')).toHaveCount(size - 1, { timeout });
  return leaderId(page);
}

export async function leaderId(page: Page): Promise<number> {
  const name = await serversIn(page, 'LEADING').getAttribute('aria-label');
  const id = Number(/^server (\d+)$/.exec(name ?? '')?.[1]);
  if (!Number.isInteger(id)) throw new Error(`no leader shown (${name})`);
  return id;
}

export async function lastZxid(page: Page, myid: number): Promise<string> {
  const text = (await server(page, myid).textContent()) ?? '';
  const match = /last zxid(0x[0-9a-f]+)/.exec(text);
  if (match === null) throw new Error(`server ${myid} shows no last zxid: ${text}`);
  return match[1] as string;
}

/** Waits until zkCli's session is connected (to any server). */
export async function consoleConnected(page: Page, timeout = 30_000): Promise<void> {
  await expect(page.getByText(/\[zk: [^\]]*\(CONNECTED\) \d+\]/).last()).toBeVisible({ timeout });
}

/**
 * Runs a command until its output shows `expected`: right after a failover the first try may
 * print ConnectionLoss while the client moves to another server, as with Apache's zkCli.
 */
export async function runUntil(page: Page, line: string, expected: string | RegExp, timeout = 20_000): Promise<void> {
  const output = consoleOutput(page);
  const shown = typeof expected === 'string' ? output.getByText(expected, { exact: true }) : output.getByText(expected);
  await expect(async () => {
    const before = await shown.count();
    await run(page, line);
    await expect(shown).toHaveCount(before + 1, { timeout: 3000 });
  }).toPass({ timeout });
}

export async function pageSessionId(page: Page): Promise<string> {
  const text = (await page.getByTitle(/the page's own client session/).textContent()) ?? '';
  const match = /(0x[0-9a-f]+)/.exec(text);
  if (match === null) throw new Error(`no page session shown: ${text}`);
  return match[1] as string;
}
