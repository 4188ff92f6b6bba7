// "Simulate 3 servers here": three workers in one tab elect a leader; a write survives killing the
// leader (the client fails over and keeps its session); the killed server restarts from IndexedDB.
import { expect, test } from '@playwright/test';
import { consoleOutput, run, serverCard, uniqueCluster } from './app';
import { consoleConnected, lastZxid, pageSessionId, runUntil, server, serversIn, stableEnsemble, TEST_TICK_MS } from './cluster';

test('simulate 3 servers, write, kill the leader, fail over, restart the killed server', async ({ page }) => {
  test.setTimeout(120_000);
  const cluster = uniqueCluster('failover');
  await page.goto(`/?cluster=${cluster}&size=3&mode=standalone&tickTime=${TEST_TICK_MS}`);
  await expect(serverCard(page)).toContainText('STANDALONE');
  await page.getByRole('button', { name: 'Simulate 3 servers here' }).click();
  await expect(page).toHaveURL(/mode=simulate/);

  const firstLeader = await stableEnsemble(page);
  await expect(page.getByRole('status', { name: 'quorum' })).toHaveText(`quorum: 3 of 3 up, leader ${firstLeader}`);
  await consoleConnected(page);
  await run(page, 'create /x 1');
  await expect(consoleOutput(page)).toContainText('Created /x');
  await expect(page.getByRole('treeitem', { name: 'x', exact: true })).toBeVisible();
  const session = await pageSessionId(page);

  const killedAt = Date.now();
  await page.getByRole('button', { name: 'Kill leader' }).click();
  await expect(server(page, firstLeader).getByText('KILLED', { exact: true })).toBeVisible();
  await expect(serversIn(page, 'LEADING')).toHaveCount(1, { timeout: 20_000 });
  await expect(serversIn(page, 'FOLLOWING')).toHaveCount(1);
  const secondLeader = Number(/(\d+)$/.exec((await serversIn(page, 'LEADING').getAttribute('aria-label')) ?? '')?.[1]);
  expect(secondLeader).not.toBe(firstLeader);
  test.info().annotations.push({ type: 'new leader after kill', description: `${Date.now() - killedAt} ms` });
  await expect(page.getByRole('status', { name: 'quorum' })).toHaveText(`quorum: 2 of 3 up, leader ${secondLeader}`);

  await runUntil(page, 'get /x', '1');
  // Same sessions: the page's session id did not change and zkCli never saw its session expire.
  expect(await pageSessionId(page)).toBe(session);
  await expect(consoleOutput(page)).not.toContainText('Expired');

  await run(page, 'create /y 2');
  await expect(consoleOutput(page)).toContainText('Created /y');
  await page.getByRole('button', { name: `Restart server ${firstLeader}` }).click();
  await expect(server(page, firstLeader).getByText('FOLLOWING', { exact: true })).toBeVisible({ timeout: 30_000 });
  // It came back from its IndexedDB database, not from scratch.
  await expect(server(page, firstLeader)).toContainText(/restarted: recovered [1-9]\d* log entr/);
  await expect.poll(() => lastZxid(page, firstLeader), { timeout: 15_000 }).toBe(await lastZxid(page, secondLeader));
});
