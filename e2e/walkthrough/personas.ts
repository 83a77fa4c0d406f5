import { Browser, Page } from '@playwright/test';
import { signInAs } from '../helpers';

/**
 * A page signed in as `persona`, in a context of its own (so several
 * personas can be open at once) that accepts the CSV downloads.
 */
export async function openAs(browser: Browser, persona: string): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await signInAs(page, persona);
  return page;
}
