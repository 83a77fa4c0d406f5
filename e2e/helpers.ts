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

const BACKEND_URL = process.env.E2E_BACKEND_URL ?? 'http://localhost:7007';

/**
 * A Backstage user token for a demo persona, from the demo backend's persona
 * sign-in (as scripts/token does).
 */
export async function tokenFor(persona: string): Promise<string> {
  const res = await fetch(`${BACKEND_URL}/api/auth/demo/refresh`, {
    headers: {
      'x-demo-persona': persona,
      'X-Requested-With': 'XMLHttpRequest',
    },
  });
  const body = await res.json();
  const token = body?.backstageIdentity?.token;
  if (!token) {
    throw new Error(
      `could not sign in as ${persona}: ${res.status} ${JSON.stringify(body)}`,
    );
  }
  return token;
}

/** Calls the Elevated Access API as the holder of `token`; throws on refusal. */
export async function callApi<T = any>(
  token: string,
  method: string,
  route: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${BACKEND_URL}/api/elevated-access${route}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = res.status === 204 ? undefined : await res.json();
  if (!res.ok) {
    throw new Error(
      `${method} ${route}: ${res.status} ${json?.error?.message ?? ''}`,
    );
  }
  return json as T;
}
