import { expect, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

export const SCREENSHOT_DIR = path.resolve(__dirname, '..', 'e2e-screenshots');

/**
 * Saves a screenshot to the ignored e2e-screenshots/ folder. Backstage pages
 * scroll inside their own container, so a full-page shot stops at the window;
 * `height` makes the window taller for the shot instead.
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { height?: number } = {},
) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const size = page.viewportSize();
  if (options.height && size) {
    await page.setViewportSize({ width: size.width, height: options.height });
  }
  await page.screenshot({
    path: path.join(SCREENSHOT_DIR, `${name}.png`),
    fullPage: true,
  });
  if (options.height && size) await page.setViewportSize(size);
}

/** Signs in through the demo persona page and waits for the app shell. */
export async function signInAs(page: Page, persona: string) {
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${persona}` }).click();
  await expect(
    page.getByRole('link', { name: 'Elevated access' }).first(),
  ).toBeVisible();
}

/** Signs out by forgetting the persona, so the next sign-in offers the choice. */
export async function signOut(page: Page) {
  await page.evaluate(() =>
    window.localStorage.removeItem('@elevated-access/demo-persona'),
  );
  await page.context().clearCookies();
}
