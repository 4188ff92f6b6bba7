import { expect, test } from '@playwright/test';
import { openApp, serverCard, uniqueCluster } from './app';

test('an IndexedDB failure is reported with a clear message', async ({ page }) => {
  const cluster = uniqueCluster('idbfail');
  // A database of a newer schema version than the app's makes IndexedDB refuse to open it.
  await page.goto('/favicon.svg');
  await page.evaluate(
    (name) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open(name, 99);
        request.onsuccess = () => {
          request.result.close();
          resolve();
        };
        request.onerror = () => reject(request.error);
      }),
    `zootabs-${cluster}-1`,
  );
  await page.goto(`/?cluster=${cluster}&mode=standalone`);
  await expect(page.getByRole('alert')).toContainText(`server 1 could not start`);
  await expect(page.getByRole('alert')).toContainText(`zootabs-${cluster}-1`);
  await expect(page.getByRole('alert')).toContainText('newer schema');
  await expect(serverCard(page)).toContainText('FAILED');
});

test('a second tab with the same myid waits instead of sharing the database', async ({ page, context }) => {
  const cluster = uniqueCluster('lock');
  await openApp(page, cluster);
  const second = await context.newPage();
  await second.goto(`/?cluster=${cluster}&mode=standalone`);
  await expect(serverCard(second)).toContainText('held by another tab');
  await page.close();
  await expect(serverCard(second)).toContainText('STANDALONE');
});
