import { expect, test } from '@playwright/test';
import { consoleOutput, openApp, run, uniqueCluster } from './app';

const CREATES = 40;

test('the event log follows the newest events, mounts only the rows in view, scrolls back and filters', async ({ page }) => {
  await openApp(page, uniqueCluster('events'));
  const log = page.getByRole('log', { name: 'event log' });
  for (let i = 0; i < CREATES; i++) await run(page, `create /e${i} x`);
  await expect(consoleOutput(page)).toContainText(`Created /e${CREATES - 1}`);

  // Following: the newest txn is in view without scrolling.
  const newest = log.getByText(new RegExp(` create /e${CREATES - 1} by `));
  await expect(newest).toBeVisible();
  // Only the rows around the viewport are in the DOM: the oldest creates are not, though logged.
  await expect(log.getByText(/ create \/e0 by /)).toHaveCount(0);

  // Scrolled to the top, the oldest are drawn, and new events do not pull the view back down.
  await log.evaluate((el) => { el.scrollTop = 0; });
  await expect(log.getByText(/ create \/e0 by /)).toBeVisible();
  await run(page, 'create /late x');
  await expect(consoleOutput(page)).toContainText('Created /late');
  await expect(log.getByText(/ create \/e0 by /)).toBeVisible();

  // Back at the bottom it follows again; the txn filter hides and shows txn lines.
  await log.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(log.getByText(/ create \/late by /)).toBeVisible();
  const txnChip = page.getByRole('group', { name: 'event filters' }).getByRole('button', { name: 'txn' });
  await txnChip.click();
  await expect(txnChip).toHaveAttribute('aria-pressed', 'false');
  await expect(log.getByText(/ create \/late by /)).toHaveCount(0);
  await txnChip.click();
  await expect(log.getByText(/ create \/late by /)).toBeVisible();
});
