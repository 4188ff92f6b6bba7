// What a person does with a ZooTabs tab, by role and accessible name.
import { expect, type Locator, type Page } from '@playwright/test';

let clusterCounter = 0;

/** A cluster name no other test uses, so tests never share a server's database. */
export function uniqueCluster(prefix: string): string {
  clusterCounter++;
  return `${prefix}-${process.pid}-${clusterCounter}-${Date.now().toString(36)}`;
}

export function serverCard(page: Page, myid = 1): Locator {
  return page.getByRole('group', { name: `server ${myid}` });
}

export function consoleInput(page: Page): Locator {
  return page.getByRole('textbox', { name: 'zkCli command' });
}

export function consoleOutput(page: Page): Locator {
  return page.getByRole('log', { name: 'zkCli output' });
}

export function treeItem(page: Page, name: string): Locator {
  return page.getByRole('tree', { name: 'znode tree' }).getByRole('treeitem', { name, exact: true });
}

export function inspector(page: Page): Locator {
  return page.getByRole('region', { name: 'inspector' });
}

/** Opens the app and waits until the server serves and zkCli has its session. */
export async function openApp(page: Page, cluster: string): Promise<void> {
  await page.goto(`/?cluster=${cluster}&size=3&mode=standalone`);
  await expect(serverCard(page)).toContainText('STANDALONE');
  await expect(page.getByText(/\[zk: server1:2181\(CONNECTED\) \d+\]/).first()).toBeVisible();
}

/** Types a command into the console and presses Enter. */
export async function run(page: Page, line: string): Promise<void> {
  const input = consoleInput(page);
  await input.fill(line);
  await input.press('Enter');
}
