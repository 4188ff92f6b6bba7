// Durability: the server's log lives in IndexedDB, so znodes survive a reload and a browser restart.
// Needs an on-disk profile: a normal test context keeps IndexedDB in memory.
import { chromium, expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { consoleOutput, openApp, run, treeItem, uniqueCluster } from './app';

test('znodes survive a reload and a browser restart (IndexedDB recovery)', async ({ baseURL }) => {
  const profile = mkdtempSync(join(tmpdir(), 'zootabs-e2e-'));
  const launch = () =>
    chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: true,
      baseURL,
      viewport: { width: 1440, height: 900 },
    });
  const cluster = uniqueCluster('durable');
  let context = await launch();
  try {
    let page = context.pages()[0] ?? (await context.newPage());
    await openApp(page, cluster);
    await run(page, 'create /hello world');
    await expect(consoleOutput(page)).toContainText('Created /hello');

    await page.reload();
    await openApp(page, cluster);
    await expect(treeItem(page, 'hello')).toBeVisible();
    await expect(page.getByRole('group', { name: 'server 1' })).toContainText(/recovered: .*\d+ log entr/);
    await run(page, 'get /hello');
    await expect(consoleOutput(page).getByText('world', { exact: true })).toBeVisible();

    await context.close();
    context = await launch();
    page = context.pages()[0] ?? (await context.newPage());
    await openApp(page, cluster);
    await expect(treeItem(page, 'hello')).toBeVisible();
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
