// The Timeline tab: scrub the recorded trace, export it as JSON, import it in a standalone tab.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { openApp, uniqueCluster } from './app';
import { openCluster, stableEnsemble } from './cluster';
import { openTab, table } from './ui-views';

test('scrub, export the trace as JSON, import it without a cluster', async ({ page, browser }) => {
  test.setTimeout(90_000);
  await openCluster(page, uniqueCluster('ui-timeline'));
  const leader = await stableEnsemble(page);
  await openTab(page, 'Timeline');
  const servers = table(page, 'servers at this point');
  await expect(servers.getByRole('row', { name: `server ${leader} at this point` })).toContainText('LEADING');

  const slider = page.getByRole('slider', { name: 'Timeline position' });
  await slider.fill('0');
  await expect(servers.getByRole('row', { name: /at this point$/ })).toHaveCount(0);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export trace' }).click()]);
  const path = test.info().outputPath('trace.json');
  await download.saveAs(path);
  const file = JSON.parse(await readFile(path, 'utf8')) as { format: string; events: Array<{ type: string; server: number }> };
  expect(file.format).toBe('zootabs-trace/1');
  expect(file.events.some((e) => e.type === 'state')).toBe(true);
  expect(file.events.some((e) => e.type === 'vote.sent')).toBe(true);

  const other = await browser.newPage();
  await openApp(other, uniqueCluster('ui-timeline-import'));
  await openTab(other, 'Timeline');
  await other.getByLabel('Import trace file').setInputFiles(path);
  await expect(other.getByText(/imported trace/)).toBeVisible();
  const imported = table(other, 'servers at this point');
  for (const id of [1, 2, 3]) await expect(imported.getByRole('row', { name: `server ${id} at this point` })).toBeVisible();
  await expect(imported.getByRole('row', { name: `server ${leader} at this point` })).toContainText('LEADING');
  if (process.env.UPDATE_SCREENSHOTS === '1') await other.screenshot({ path: 'docs/screenshots/timeline-import.png' });
  await other.close();
});
