// The Election tab explains a failover: the new round, its winner and why it beat its rival.
import { expect, test } from '@playwright/test';
import { uniqueCluster } from './app';
import { openCluster, serversIn, stableEnsemble } from './cluster';
import { openTab, view } from './ui-views';

test('after killing the leader the Election tab shows the new round, its leader and a "beats" reason', async ({ page }) => {
  test.setTimeout(90_000);
  await openCluster(page, uniqueCluster('ui-election'));
  const first = await stableEnsemble(page);
  await page.getByRole('button', { name: 'Kill leader' }).click();
  await expect(serversIn(page, 'LEADING')).toHaveCount(1, { timeout: 20_000 });
  await expect(serversIn(page, 'FOLLOWING')).toHaveCount(1, { timeout: 20_000 });
  const second = Number(/(\d+)$/.exec((await serversIn(page, 'LEADING').getAttribute('aria-label')) ?? '')?.[1]);
  expect(second).not.toBe(first);

  await openTab(page, 'Election');
  const newest = view(page, 'election').getByRole('article').first();
  await expect(newest.getByRole('heading')).toContainText(`leader ${second}`);
  await expect(newest).toContainText(new RegExp(`server ${second} beats server \\d: (higher epoch|same epoch \\d+, (higher zxid|same zxid 0x[0-9a-f]+, higher sid))`));
  if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: 'docs/screenshots/election.png' });
});
