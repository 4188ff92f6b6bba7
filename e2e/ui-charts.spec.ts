// The Charts tab: commits per second after writes, and one bar per election.
import { expect, test } from '@playwright/test';
import { consoleOutput, run, uniqueCluster } from './app';
import { consoleConnected, openCluster, stableEnsemble } from './cluster';
import { openTab } from './ui-views';

test('charts show commit throughput and the election time', async ({ page }) => {
  test.setTimeout(90_000);
  await openCluster(page, uniqueCluster('ui-charts'));
  await stableEnsemble(page);
  await consoleConnected(page);
  await run(page, 'create /c 1');
  await expect(consoleOutput(page)).toContainText('Created /c');
  await openTab(page, 'Charts');
  await expect(page.getByRole('img', { name: /^commits per second: [1-9]\d* bars$/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^election time .*: [1-9]\d* bars$/ })).toBeVisible();
  if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: 'docs/screenshots/charts.png' });
});
