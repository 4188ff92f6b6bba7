// The Sessions & watches tab: a data watch set from zkCli is listed, and fires on a change.
import { expect, test } from '@playwright/test';
import { consoleOutput, run, uniqueCluster } from './app';
import { consoleConnected, openCluster, stableEnsemble } from './cluster';
import { openTab, table } from './ui-views';

test('get -w lists a data watch; set fires NodeDataChanged', async ({ page }) => {
  test.setTimeout(90_000);
  await openCluster(page, uniqueCluster('ui-sessions'));
  await stableEnsemble(page);
  await consoleConnected(page);
  await run(page, 'create /x 1');
  await expect(consoleOutput(page)).toContainText('Created /x');
  await run(page, 'get -w /x');

  await openTab(page, 'Sessions & watches');
  // The page's tree mirror holds child watches of its own; zkCli's is the data watch.
  const watch = table(page, 'watches').getByRole('row').filter({ hasText: /\/x\s*data/ });
  await expect(watch).toHaveCount(1);
  await expect(table(page, 'sessions').getByRole('row').filter({ hasText: 'connected' }).first()).toBeVisible();

  await run(page, 'set /x 2');
  const fired = table(page, 'fired watch events').getByRole('row').filter({ hasText: 'NodeDataChanged' });
  await expect(fired.filter({ hasText: '/x' }).first()).toBeVisible();
  await expect(watch).toHaveCount(0);
  if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: 'docs/screenshots/sessions-watches.png' });
  await page.getByRole('combobox', { name: 'filter fired events by type' }).selectOption('NodeDataChanged');
  await expect(fired.first()).toBeVisible();
  await page.getByRole('textbox', { name: 'filter fired events by path' }).fill('/no-such-path');
  await expect(fired).toHaveCount(0);
});
