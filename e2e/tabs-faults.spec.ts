// The whole cluster from any tab (`?mode=tabs`): every tab draws every server from the control
// plane's status reports, and its fault buttons act on servers running in other tabs (kill,
// restart, freeze, partition, heal), as a person would use them.
import { expect, test, type Page } from '@playwright/test';
import { uniqueCluster } from './app';
import { consoleConnected, lastZxid, runUntil, server } from './cluster';
import { createThrough, fact, openTabs, stableIn, statesIn, TAB_IDS } from './tabs';

const others = (id: number): number[] => TAB_IDS.filter((x) => x !== id);

test('every tab shows all servers; Kill leader from a follower\'s tab, Restart from another tab', async ({ context }) => {
  test.setTimeout(240_000);
  const pages = await openTabs(context, uniqueCluster('tabsfaults'));
  const tab = (id: number): Page => pages[id - 1] as Page;

  // a. Each tab shows all three servers with state words; exactly one LEADING, the same everywhere.
  const leader = await stableIn(tab(1));
  for (const id of TAB_IDS) expect(await stableIn(tab(id))).toBe(leader);
  const [follower, other] = others(leader) as [number, number];

  // b. A write through a surviving server, then Kill leader from a follower's tab.
  await consoleConnected(tab(follower));
  await createThrough(tab(follower), '/before-kill', 'survived');
  await tab(follower).getByRole('button', { name: 'Kill leader' }).click();
  for (const id of TAB_IDS) {
    await expect(server(tab(id), leader).locator('.state-word')).toHaveText('KILLED', { timeout: 30_000 });
  }
  const newLeader = await stableIn(tab(follower), others(leader));
  for (const id of TAB_IDS) expect(await stableIn(tab(id), others(leader))).toBe(newLeader);
  await consoleConnected(tab(other));
  await runUntil(tab(other), 'get /before-kill', 'survived', 60_000);

  // Restart the old leader from a tab other than its own: it comes back FOLLOWING and catches up.
  await tab(other).getByRole('button', { name: `Restart server ${leader}` }).click();
  for (const id of TAB_IDS) {
    await expect(server(tab(id), leader).locator('.state-word')).toHaveText('FOLLOWING', { timeout: 45_000 });
  }
  // A new leader reports its epoch's first zxid (0x<epoch>00000000) until it commits a txn, while
  // followers report the last txn they hold (as Apache's srvr does): one more write lines them up.
  await createThrough(tab(other), '/after-restart', 'caught-up');
  await expect.poll(async () => (await lastZxid(tab(other), leader)) === (await lastZxid(tab(other), newLeader)), { timeout: 30_000 }).toBe(true);
});

test('a partition from a follower\'s tab: the majority elects and writes, the old leader cannot; Heal converges', async ({ context }) => {
  test.setTimeout(240_000);
  const pages = await openTabs(context, uniqueCluster('tabspart'));
  const tab = (id: number): Page => pages[id - 1] as Page;
  const leader = await stableIn(tab(1));
  const [follower, other] = others(leader) as [number, number];
  const view = tab(follower);

  await view.getByRole('button', { name: 'Partition' }).click();
  const form = view.getByRole('form', { name: 'partition' });
  for (const id of TAB_IDS) await form.getByRole('combobox', { name: `side of server ${id}` }).selectOption(id === leader ? 'B' : 'A');
  await form.getByRole('button', { name: 'Apply partition' }).click();

  // The majority elects a new leader; the old one loses its quorum and goes LOOKING.
  const majorityLeader = await stableIn(view, others(leader), 60_000);
  await expect(server(view, leader).locator('.state-word')).toHaveText('LOOKING', { timeout: 30_000 });
  // Every tab (the minority's own tab too) holds the same partition and sees the same.
  await expect(server(tab(leader), majorityLeader).locator('.state-word')).toHaveText('LEADING', { timeout: 30_000 });
  await expect(server(tab(other), leader).locator('.state-word')).toHaveText('LOOKING', { timeout: 30_000 });

  await consoleConnected(view);
  await createThrough(view, '/during-partition', 'majority');
  const stuckZxid = await lastZxid(view, leader);
  await expect.poll(async () => (await lastZxid(view, majorityLeader)) > stuckZxid, { timeout: 15_000 }).toBe(true);
  expect(await lastZxid(view, leader)).toBe(stuckZxid);

  // Heal (from the old leader's tab this time): all three converge on one history.
  await tab(leader).getByRole('button', { name: 'Heal' }).click();
  for (const id of TAB_IDS) await stableIn(tab(id), TAB_IDS, 60_000);
  await expect
    .poll(
      async () => {
        const zxids = await Promise.all(TAB_IDS.map((id) => lastZxid(view, id)));
        const znodes = await Promise.all(TAB_IDS.map((id) => fact(view, id, 'znodes')));
        return new Set(zxids).size === 1 && new Set(znodes).size === 1 && znodes[0] !== '–';
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  expect(await lastZxid(view, leader) > stuckZxid).toBe(true);
});

test('freezing the leader from another tab for longer than syncLimit costs it the leadership; a closed tab goes stale', async ({ context }) => {
  test.setTimeout(240_000);
  const pages = await openTabs(context, uniqueCluster('tabsfreeze'));
  const tab = (id: number): Page => pages[id - 1] as Page;
  const leader = await stableIn(tab(1));
  const [follower, other] = others(leader) as [number, number];
  const view = tab(follower);

  await view.getByRole('button', { name: `Freeze server ${leader}` }).click();
  await expect(server(view, leader).locator('.state-word')).toHaveText('FROZEN', { timeout: 15_000 });
  // syncLimit is 5 ticks of 200 ms: the followers give up on it and elect one of themselves.
  await expect
    .poll(async () => {
      const states = await statesIn(view);
      return others(leader).some((id) => states[id] === 'LEADING');
    }, { timeout: 45_000 })
    .toBe(true);
  await expect(server(tab(other), leader).locator('.state-word')).toHaveText('FROZEN');

  await view.getByRole('button', { name: `Unfreeze server ${leader}` }).click();
  await expect(server(view, leader).locator('.state-word')).toHaveText(/^(FOLLOWING|LOOKING)$/, { timeout: 30_000 });
  await stableIn(view, TAB_IDS, 60_000);

  // A closed tab stops reporting: the others still draw its server, marked stale.
  await tab(other).close();
  await expect(server(view, other).getByText(/^stale, last report \d\d:\d\d:\d\d \(\d+ s ago\)$/)).toBeVisible({ timeout: 15_000 });
});
