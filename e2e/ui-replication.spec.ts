// The Replication tab: a killed follower that restarts behind the leader is synced with a DIFF.
import { expect, test } from '@playwright/test';
import { consoleOutput, run, uniqueCluster } from './app';
import { consoleConnected, openCluster, runUntil, server, stableEnsemble } from './cluster';
import { openTab, table } from './ui-views';

test('a restarted follower shows its sync mode (DIFF)', async ({ page }) => {
  test.setTimeout(120_000);
  await openCluster(page, uniqueCluster('ui-replication'));
  const leader = await stableEnsemble(page);
  const follower = [1, 2, 3].find((id) => id !== leader) as number;
  await consoleConnected(page);
  await run(page, 'create /a 1');
  await expect(consoleOutput(page)).toContainText('Created /a');

  await page.getByRole('button', { name: `Kill server ${follower}` }).click();
  await expect(server(page, follower).getByText('KILLED', { exact: true })).toBeVisible();
  await runUntil(page, 'create /b 2', 'Created /b');

  await openTab(page, 'Replication');
  const syncsOf = table(page, 'learner syncs').getByRole('row').filter({ hasText: `server ${follower}` });
  const before = await syncsOf.count();
  await openTab(page, 'Cluster');
  await page.getByRole('button', { name: `Restart server ${follower}` }).click();
  await expect(server(page, follower).getByText('FOLLOWING', { exact: true })).toBeVisible({ timeout: 30_000 });

  await openTab(page, 'Replication');
  await expect(syncsOf).toHaveCount(before + 1);
  await expect(syncsOf.first()).toContainText('DIFF');
  await expect(table(page, 'proposals')).toContainText(/committed/);
  if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: 'docs/screenshots/replication.png' });
});
