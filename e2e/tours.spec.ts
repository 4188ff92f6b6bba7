// Guided tours of seed scenarios 1 and 2, run as a person would: open a tour from the header, click
// Next step, read the server cards, the tour panel and the Election view; Back and Replay tour
// start again on a fresh cluster.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { uniqueCluster } from './app';
import { server, serversIn, TEST_TICK_MS } from './cluster';
import { openTab, view } from './ui-views';

// The dev server reloads every open page when any module changes; with other people editing the
// tree, a reload mid-tour restarts it at step 1. A retry runs the whole tour again.
test.describe.configure({ retries: 2 });

const STEPS = 6;
/** Real servers on a loaded 2-core machine: an election or a sync can take a while. */
const STEP_TIMEOUT_MS = 90_000;

function tourPanel(page: Page): Locator {
  return page.getByRole('region', { name: 'guided tour' });
}

function stepStatus(page: Page): Locator {
  return tourPanel(page).getByRole('status', { name: 'step status' });
}

async function openTour(page: Page, name: RegExp): Promise<void> {
  await page.goto(`/?cluster=${uniqueCluster('tours')}&size=3&mode=standalone&tickTime=${TEST_TICK_MS}`);
  await page.getByRole('button', { name: 'Guided tours' }).click();
  await page.getByRole('group', { name: 'tours' }).getByRole('button', { name }).click();
  await expectStep(page, 1);
}

/** The panel shows step `n` and its condition holds ("Done: ..."). */
async function expectStep(page: Page, n: number): Promise<void> {
  await expect(tourPanel(page)).toContainText(`Step ${n} of ${STEPS}`, { timeout: STEP_TIMEOUT_MS });
  await expect(stepStatus(page)).toContainText('Done:', { timeout: STEP_TIMEOUT_MS });
}

async function nextStep(page: Page, n: number): Promise<void> {
  const next = tourPanel(page).getByRole('button', { name: 'Next step' });
  await expect(next).toBeEnabled();
  await next.click();
  await expect(tourPanel(page)).toContainText(`Step ${n} of ${STEPS}`);
  await expectStep(page, n);
}

async function expectNoServerRunning(page: Page): Promise<void> {
  for (let myid = 1; myid <= 5; myid++) {
    await expect(server(page, myid).getByRole('button', { name: `Restart server ${myid}` })).toBeVisible();
  }
  for (const word of ['LOOKING', 'LEADING', 'FOLLOWING']) await expect(serversIn(page, word)).toHaveCount(0);
  await expect(tourPanel(page)).toContainText('as reported now: no server running');
}

async function expectStates(page: Page, states: Record<number, string>): Promise<void> {
  for (const [myid, word] of Object.entries(states)) {
    await expect(server(page, Number(myid)).getByText(word, { exact: true })).toBeVisible({ timeout: STEP_TIMEOUT_MS });
  }
}

function clusterOf(url: string): string {
  return new URL(url).searchParams.get('cluster') ?? '';
}

test('tour 1: servers start 1..5, 1 and 2 stay LOOKING, 3 leads, 4 and 5 follow; Back and Replay start from a clean cluster', async ({ page }) => {
  test.setTimeout(480_000);
  await openTour(page, /^Tour 1/);
  await expectNoServerRunning(page);
  await expect(tourPanel(page).getByRole('button', { name: 'Back' })).toBeDisabled();

  await nextStep(page, 2);
  await expectStates(page, { 1: 'LOOKING' });
  await nextStep(page, 3);
  await expectStates(page, { 1: 'LOOKING', 2: 'LOOKING' });
  await expect(serversIn(page, 'LEADING')).toHaveCount(0);
  await nextStep(page, 4);
  await expectStates(page, { 3: 'LEADING', 1: 'FOLLOWING', 2: 'FOLLOWING' });
  await expect(stepStatus(page)).toContainText('server 3 LEADING');
  await nextStep(page, 5);
  await nextStep(page, 6);
  await expectStates(page, { 3: 'LEADING', 1: 'FOLLOWING', 2: 'FOLLOWING', 4: 'FOLLOWING', 5: 'FOLLOWING' });
  await expect(serversIn(page, 'LEADING')).toHaveCount(1);
  await expect(tourPanel(page).getByRole('button', { name: 'Next step' })).toBeDisabled();
  await expect(stepStatus(page)).toContainText('End of the tour');

  // Back: a fresh cluster replays steps 2..5 by itself: server 5 has not started there.
  const firstRun = clusterOf(page.url());
  await tourPanel(page).getByRole('button', { name: 'Back' }).click();
  await expectStep(page, 5);
  expect(clusterOf(page.url())).not.toBe(firstRun);
  await expectStates(page, { 3: 'LEADING', 4: 'FOLLOWING' });
  await expect(server(page, 5).getByRole('button', { name: 'Restart server 5' })).toBeVisible();

  // Replay: step 1 again, no server running, and the tour goes on from there.
  const secondRun = clusterOf(page.url());
  await tourPanel(page).getByRole('button', { name: 'Replay tour' }).click();
  await expectStep(page, 1);
  expect(clusterOf(page.url())).not.toBe(secondRun);
  await expectNoServerRunning(page);
  await nextStep(page, 2);
  await expectStates(page, { 1: 'LOOKING' });
});

/** "server 1 (1, 0x100000008, 1)" -> zxid per server, from the tuples noted before the failure. */
function notedZxids(text: string): Record<number, bigint> {
  const out: Record<number, bigint> = {};
  for (const match of text.matchAll(/server (\d) \((\d+), (0x[0-9a-f]+), \d\)/g)) out[Number(match[1])] = BigInt(match[3] as string);
  return out;
}

test('tour 2: 3 leads, 4 misses the last write, 3 and 5 fail, 2 wins the election and the Election view says why', async ({ page }) => {
  test.setTimeout(480_000);
  await openTour(page, /^Tour 2/);
  await expectNoServerRunning(page);

  await nextStep(page, 2);
  await expectStates(page, { 3: 'LEADING', 1: 'FOLLOWING', 2: 'FOLLOWING', 4: 'FOLLOWING', 5: 'FOLLOWING' });
  await nextStep(page, 3);
  await nextStep(page, 4);
  await expectStates(page, { 4: 'LOOKING', 3: 'LEADING' });
  await nextStep(page, 5);
  await nextStep(page, 6);
  await expectStates(page, { 2: 'LEADING', 1: 'FOLLOWING', 4: 'FOLLOWING' });
  await expect(server(page, 3)).toContainText('KILLED');
  await expect(server(page, 5)).toContainText('KILLED');

  // What the survivors stood on: 1 and 2 equal, 4 one write behind, all in epoch 1.
  const noted = tourPanel(page).getByLabel('tuples before the failure');
  await expect(noted).toContainText(/server 1 \(1, 0x1[0-9a-f]+, 1\) · server 2 \(1, 0x1[0-9a-f]+, 2\) · server 4 \(1, 0x1[0-9a-f]+, 4\)/);
  const zxids = notedZxids((await noted.textContent()) ?? '');
  expect(zxids[1]).toBe(zxids[2]);
  expect(zxids[4]).toBeLessThan(zxids[1] as bigint);

  await openTab(page, 'Election');
  const newest = view(page, 'election').getByRole('article').first();
  await expect(newest.getByRole('heading')).toContainText('leader 2');
  await expect(newest).toContainText(/server 2 beats server 1: same epoch 1, same zxid 0x1[0-9a-f]+, higher sid/);
  await expect(tourPanel(page).getByLabel('election outcome')).toContainText('leader 2');
  if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: 'docs/screenshots/tour-2.png' });
});
