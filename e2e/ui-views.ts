// The analysis views (tabs beside the ensemble / inspector), by role and accessible name.
import type { Locator, Page } from '@playwright/test';

export async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tablist', { name: 'views' }).getByRole('tab', { name, exact: true }).click();
}

export function view(page: Page, name: string): Locator {
  return page.getByRole('region', { name, exact: true });
}

export function table(page: Page, name: string): Locator {
  return page.getByRole('table', { name, exact: true });
}
