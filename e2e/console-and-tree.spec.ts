import { expect, test } from '@playwright/test';
import { consoleInput, consoleOutput, inspector, openApp, run, serverCard, treeItem, uniqueCluster } from './app';

test('the server card shows the standalone server state', async ({ page }) => {
  await openApp(page, uniqueCluster('card'));
  const card = serverCard(page);
  await expect(card).toContainText('STANDALONE');
  await expect(card).toContainText(/last zxid\s*0x[0-9a-f]+/);
  await expect(card).toContainText(/sessions\s*2/);
});

test('create in the console prints Created and the tree shows the node', async ({ page }) => {
  await openApp(page, uniqueCluster('create'));
  await run(page, 'create /hello world');
  await expect(consoleOutput(page)).toContainText('Created /hello');
  await expect(treeItem(page, 'hello')).toBeVisible();
});

test('get -s prints the data and the Stat', async ({ page }) => {
  await openApp(page, uniqueCluster('get'));
  await run(page, 'create /hello world');
  await expect(consoleOutput(page)).toContainText('Created /hello');
  await run(page, 'get -s /hello');
  const output = consoleOutput(page);
  await expect(output.getByText('world', { exact: true })).toBeVisible();
  await expect(output.getByText(/^cZxid = 0x[0-9a-f]+$/)).toBeVisible();
  await expect(output.getByText('dataLength = 5', { exact: true })).toBeVisible();
});

test('the tree follows deletes and the inspector shows Stat and ACL', async ({ page }) => {
  await openApp(page, uniqueCluster('live'));
  await run(page, 'create /app ""');
  await run(page, 'create /app/config {"a":1}');
  await expect(treeItem(page, 'config').first()).toBeVisible();
  await treeItem(page, 'app').click();
  await expect(inspector(page)).toContainText('numChildren = 1');
  await expect(inspector(page)).toContainText("'world,'anyone");
  await page.getByRole('treeitem', { name: 'config' }).filter({ hasText: '/app/config' }).click();
  await expect(inspector(page).getByLabel('data text')).toHaveText('{\n  "a": 1\n}');
  await run(page, 'set /app/config {"a":2}');
  await expect(inspector(page).getByLabel('data text')).toHaveText('{\n  "a": 2\n}');
  await run(page, 'deleteall /app');
  await expect(treeItem(page, 'app')).toHaveCount(0);
  await expect(inspector(page)).toContainText('does not exist');
});

test('znode data with markup stays inert text in the inspector', async ({ page }) => {
  await openApp(page, uniqueCluster('xss'));
  const payload = '<img src=x onerror=window.__pwned=1><script>window.__pwned=2</script>';
  await run(page, `create /xss "${payload}"`);
  await expect(consoleOutput(page)).toContainText('Created /xss');
  await treeItem(page, 'xss').click();
  const data = inspector(page).getByLabel('data text');
  await expect(data).toHaveText(payload);
  await expect(inspector(page).locator('img, script')).toHaveCount(0);
  await inspector(page).getByRole('radio', { name: 'hex' }).click();
  await expect(inspector(page).getByLabel('data hex')).toContainText('3c 69 6d 67');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('console history and Tab completion', async ({ page }) => {
  await openApp(page, uniqueCluster('keys'));
  await run(page, 'create /hello world');
  await expect(consoleOutput(page)).toContainText('Created /hello');
  const input = consoleInput(page);
  await input.fill('ls /hel');
  await input.press('Tab');
  await expect(input).toHaveValue('ls /hello');
  await input.fill('');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('create /hello world');
  await input.press('ArrowDown');
  await expect(input).toHaveValue('');
  await input.fill('get');
  await input.press('Tab');
  await expect(consoleOutput(page)).toContainText('get  getAcl');
});

test('search by path keeps matches and their ancestors', async ({ page }) => {
  await openApp(page, uniqueCluster('search'));
  await run(page, 'create /alpha ""');
  await run(page, 'create /alpha/needle x');
  await run(page, 'create /beta ""');
  await expect(treeItem(page, 'beta')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search path' }).fill('needle');
  await expect(treeItem(page, 'needle')).toBeVisible();
  await expect(treeItem(page, 'alpha')).toBeVisible();
  await expect(treeItem(page, 'beta')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'match' })).toHaveText('1 match');
});

test('the tree stays where the user scrolled while the selected znode changes, and follows the keyboard selection', async ({ page }) => {
  await openApp(page, uniqueCluster('tree-scroll'));
  await run(page, 'create /s');
  for (let i = 0; i < 60; i++) await run(page, `create /s/n${String(i).padStart(2, '0')} v`);
  await expect(consoleOutput(page)).toContainText('Created /s/n59');
  await treeItem(page, 's').click();
  const box = page.locator('.tree-scroll');
  const scrollTop = (): Promise<number> => box.evaluate((el) => el.scrollTop);
  // Scroll away from the selection, then change the selected znode's data: the tree is laid out
  // anew, but the view must not jump back to the selection.
  await box.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  const scrolledTo = await scrollTop();
  expect(scrolledTo).toBeGreaterThan(200);
  await run(page, 'set /s changed');
  await run(page, 'set /s/n30 changed');
  await run(page, 'get /s');
  await expect(consoleOutput(page).getByText('changed', { exact: true }).last()).toBeVisible();
  await page.waitForTimeout(300); // a few frames for the tree to take the changes
  expect(await scrollTop()).toBe(scrolledTo);
  // Moving the selection with the keyboard brings it into view.
  await page.getByRole('tree', { name: 'znode tree' }).focus();
  await page.keyboard.press('ArrowDown');
  await expect.poll(scrollTop).toBeLessThan(scrolledTo);
});
