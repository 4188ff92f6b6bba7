// Multi-tab mode: "Kill server N" in tab N is a crash of server N only. Its quorum connections
// reset (the other servers see their links to it go down at once, as with a crashed process's
// sockets), but tab N's own clients that were on ANOTHER tab's server keep their connection and
// their session, as a client connected to server M keeps its TCP connection when server N dies.
import { expect, test, type Page } from '@playwright/test';
import { consoleOutput, run, uniqueCluster } from './app';
import { consoleConnected, runUntil, server } from './cluster';
import { openTabs, stableIn, TAB_IDS } from './tabs';

/** Lines of tab `page`'s zkCli output matching `pattern`. */
async function countLines(page: Page, pattern: RegExp): Promise<number> {
  return consoleOutput(page).getByText(pattern).count();
}

/** The ephemeralOwner `stat` prints for `path` through this tab's console ('0x...'). */
async function ephemeralOwner(page: Page, path: string): Promise<string> {
  const owners = consoleOutput(page).getByText(/^ephemeralOwner = 0x[0-9a-f]+$/);
  await runUntil(page, `stat ${path}`, /^ephemeralOwner = 0x[0-9a-f]+$/, 30_000);
  return ((await owners.last().textContent()) ?? '').replace('ephemeralOwner = ', '');
}

/** Session events of `sessionHex` in the trace `page` records of its own server. */
async function sessionEvents(page: Page, sessionHex: string): Promise<Array<{ type: string; connection?: number; reconnect?: boolean }>> {
  return page.evaluate((hex) => {
    const z = (window as unknown as { __zootabs: { trace: { getState(): { events: Array<Record<string, unknown>> } } } }).__zootabs;
    return z.trace
      .getState()
      .events.filter((e) => typeof e['type'] === 'string' && (e['type'] as string).startsWith('session.') && typeof e['sessionId'] === 'bigint')
      .filter((e) => `0x${(e['sessionId'] as bigint).toString(16)}` === hex)
      .map((e) => ({ type: e['type'] as string, connection: e['connection'] as number | undefined, reconnect: e['reconnect'] as boolean | undefined }));
  }, sessionHex);
}

type LinkWatch = { up: boolean | null; downAtMs: number | null };

/**
 * Watches, in `page`, whether its own server `myid` reports its quorum link to `peer` up, and
 * the wall-clock time it was first seen down (the store's change, not Playwright's polling).
 */
async function watchLink(page: Page, myid: number, peer: number): Promise<() => Promise<LinkWatch>> {
  await page.evaluate(
    ([self, other]) => {
      type State = { cluster?: { servers: Record<number, { status?: { quorum?: { links: Array<{ peer: number; up: boolean }> } } }> } };
      type Store = { getState(): State; subscribe(fn: (s: State) => void): () => void };
      const w = window as unknown as { __zootabs: { store: Store }; __linkWatch?: LinkWatch };
      const read = (s: State): boolean | null => s.cluster?.servers[self as number]?.status?.quorum?.links.find((l) => l.peer === other)?.up ?? null;
      const watch: LinkWatch = { up: read(w.__zootabs.store.getState()), downAtMs: null };
      w.__linkWatch = watch;
      w.__zootabs.store.subscribe((s) => {
        watch.up = read(s);
        if (watch.up === false && watch.downAtMs === null) watch.downAtMs = Date.now();
      });
    },
    [myid, peer],
  );
  return () => page.evaluate(() => ({ ...(window as unknown as { __linkWatch: LinkWatch }).__linkWatch }));
}

test("Kill server 1 in tab 1: tab 1's zkCli session on server 2 keeps its connection; 2 and 3 keep a leader", async ({ context }) => {
  test.setTimeout(240_000);
  const pages = await openTabs(context, uniqueCluster('tabkillown'));
  const tab = (id: number): Page => pages[id - 1] as Page;
  let leader = await stableIn(tab(1));
  if (leader === 1) {
    // Server 1 must be a follower: a follower losing its leader drops its clients (Apache does too).
    await tab(1).getByRole('button', { name: 'Kill server 1' }).click();
    leader = await stableIn(tab(2), [2, 3], 60_000);
    await tab(2).getByRole('button', { name: 'Restart server 1' }).click();
    await stableIn(tab(1), TAB_IDS, 60_000);
  }

  // Tab 1's console moves its session to server 2, in tab 2, through a client tunnel.
  await consoleConnected(tab(1));
  await run(tab(1), 'connect server2:2181');
  await expect(tab(1).locator('.console .prompt')).toContainText('[zk: server2:2181(CONNECTED)', { timeout: 30_000 });
  await runUntil(tab(1), 'create -e /kept x', 'Created /kept', 30_000);
  const owner = await ephemeralOwner(tab(1), '/kept');
  const before = await sessionEvents(tab(2), owner);
  expect(before.filter((e) => e.type === 'session.connected')).toHaveLength(1);
  expect(before.filter((e) => e.type === 'session.disconnected')).toHaveLength(0);
  const disconnectedLines = await countLines(tab(1), /^WatchedEvent state:Disconnected/);
  const connectedLines = await countLines(tab(1), /^WatchedEvent state:SyncConnected/);
  const lossLines = await countLines(tab(1), /ConnectionLoss/);
  const links = { 2: await watchLink(tab(2), 2, 1), 3: await watchLink(tab(3), 3, 1) };
  expect((await links[2]()).up).toBe(true);
  expect((await links[3]()).up).toBe(true);

  const killedAt = Date.now();
  await tab(1).getByRole('button', { name: 'Kill server 1' }).click();
  await expect(server(tab(1), 1).getByText('KILLED', { exact: true })).toBeVisible();

  // The other servers see their links to server 1 go down: its channels were closed, as a crashed
  // process's sockets are. Follower 3 exchanges no heartbeats with follower 1: without the close,
  // its link would stay up (a terminated worker leaves its channels open).
  const downIn: Record<number, number> = {};
  for (const id of [2, 3] as const) {
    await expect.poll(async () => (await links[id]()).downAtMs, { timeout: 15_000 }).not.toBeNull();
    downIn[id] = ((await links[id]()).downAtMs as number) - killedAt;
  }
  test.info().annotations.push({ type: 'servers 2 / 3 saw their link to killed server 1 down after (ms; status every tick)', description: `${downIn[2]} / ${downIn[3]}` });

  // The console works at the first try, on the same connection: no ConnectionLoss, no reconnect.
  const created = consoleOutput(tab(1)).getByText('Created /after-kill', { exact: true });
  await run(tab(1), 'create /after-kill y');
  await expect(created).toBeVisible({ timeout: 10_000 });
  await runUntil(tab(1), 'getEphemerals', '[/kept]');
  await expect(tab(1).locator('.console .prompt')).toContainText('[zk: server2:2181(CONNECTED)');
  expect(await countLines(tab(1), /ConnectionLoss/)).toBe(lossLines);
  expect(await countLines(tab(1), /^WatchedEvent state:Disconnected/)).toBe(disconnectedLines);
  expect(await countLines(tab(1), /^WatchedEvent state:SyncConnected/)).toBe(connectedLines);
  // Server 2's trace: the session's one connection never closed, and it never connected again.
  const after = await sessionEvents(tab(2), owner);
  expect(after.filter((e) => e.type === 'session.disconnected')).toEqual([]);
  expect(after.filter((e) => e.type === 'session.connected')).toEqual(before.filter((e) => e.type === 'session.connected'));
  expect(await ephemeralOwner(tab(1), '/kept')).toBe(owner);

  // 2 and 3 keep (or elect) one leader between them, and serve the write above.
  const survivorsLeader = await stableIn(tab(2), [2, 3], 60_000);
  expect(await stableIn(tab(3), [2, 3], 60_000)).toBe(survivorsLeader);
  await runUntil(tab(3), 'get /after-kill', 'y', 30_000);
  test.info().annotations.push({ type: 'leader before / after the kill', description: `${leader} / ${survivorsLeader}` });
});
