// Fault controls of the single-tab ensemble: a partition isolating a follower (it goes LOOKING, the
// rest keep serving, it rejoins after Heal with the latest zxid), a frozen leader (replaced after
// syncLimit ticks), and an added observer.
import { expect, test } from '@playwright/test';
import { consoleOutput, run, uniqueCluster } from './app';
import { consoleConnected, lastZxid, openCluster, runUntil, server, serversIn, stableEnsemble } from './cluster';

test('a partitioned follower goes LOOKING, the majority keeps serving, and Heal brings it back', async ({ page }) => {
  test.setTimeout(120_000);
  await openCluster(page, uniqueCluster('partition'));
  const leader = await stableEnsemble(page);
  const follower = [1, 2, 3].find((id) => id !== leader) as number;
  await consoleConnected(page);
  await run(page, 'create /a 1');
  await expect(consoleOutput(page)).toContainText('Created /a');

  await page.getByRole('button', { name: 'Partition' }).click();
  const form = page.getByRole('form', { name: 'partition' });
  for (const id of [1, 2, 3]) await form.getByRole('combobox', { name: `side of server ${id}` }).selectOption(id === follower ? 'B' : 'A');
  await form.getByRole('button', { name: 'Apply partition' }).click();

  await expect(server(page, follower).getByText('LOOKING', { exact: true })).toBeVisible({ timeout: 15_000 });
  await expect(server(page, leader).getByText('LEADING', { exact: true })).toBeVisible();
  await runUntil(page, 'create /b 2', 'Created /b');

  await page.getByRole('button', { name: 'Heal' }).click();
  await expect(server(page, follower).getByText('FOLLOWING', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => lastZxid(page, follower), { timeout: 15_000 }).toBe(await lastZxid(page, leader));
});

test('a frozen leader is replaced after syncLimit ticks and rejoins when unfrozen', async ({ page }) => {
  test.setTimeout(120_000);
  await openCluster(page, uniqueCluster('freeze'));
  const leader = await stableEnsemble(page);
  await consoleConnected(page);

  const frozenAt = Date.now();
  await page.getByRole('button', { name: `Freeze server ${leader}` }).click();
  await expect(server(page, leader).getByText('FROZEN', { exact: true })).toBeVisible();
  await expect(serversIn(page, 'LEADING')).toHaveCount(1, { timeout: 20_000 });
  expect(await serversIn(page, 'LEADING').getAttribute('aria-label')).not.toBe(`server ${leader}`);
  test.info().annotations.push({ type: 'new leader after freeze', description: `${Date.now() - frozenAt} ms` });
  await runUntil(page, 'create /during-freeze 1', 'Created /during-freeze');

  await page.getByRole('button', { name: `Unfreeze server ${leader}` }).click();
  await expect(server(page, leader).getByText('FOLLOWING', { exact: true })).toBeVisible({ timeout: 20_000 });
});

test('Add server starts an observer that follows the leader', async ({ page }) => {
  await openCluster(page, uniqueCluster('observer'));
  await stableEnsemble(page);
  await page.getByRole('button', { name: 'Add server' }).click();
  await expect(server(page, 4).getByText('OBSERVING', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('status', { name: 'quorum' })).toContainText('3 of 3 up');
});
