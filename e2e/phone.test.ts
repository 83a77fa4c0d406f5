import { expect, Page, test } from '@playwright/test';
import { checkpoint } from './a11y';
import { callApi, tokenFor } from './helpers';

/*
 * Issue 13: the request, approve and audit steps on a phone (390×844). alice
 * requests PowerUserAccess on data-dev from the menu, bob approves it from
 * his inbox's cards, carol finds it in Audit with a requester filter that
 * survives opening the request and coming back. Every page and dialog passes
 * axe, and no page scrolls sideways.
 *
 * It ends alice's access at the end (revoke or withdraw), so the walkthrough
 * that runs after it starts from the same state.
 */

const PHONE = { width: 390, height: 844 };
let requestId: string | undefined;

test.describe.configure({ mode: 'serial' });
test.use({ viewport: PHONE, isMobile: true, hasTouch: true });

test.afterAll(async () => {
  if (!requestId) return;
  const alice = await tokenFor('alice');
  const r = await callApi(alice, 'GET', `/requests/${requestId}`);
  if (r.status === 'pending') {
    await callApi(alice, 'POST', `/requests/${requestId}/cancel`, {});
  } else if (['approved', 'granting', 'active'].includes(r.status)) {
    await callApi(alice, 'POST', `/requests/${requestId}/revoke`, {
      comment: 'Phone walkthrough done',
    });
  }
});

/** Signs in on the persona page; the phone layout has a bottom menu. */
async function signIn(page: Page, persona: string) {
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${persona}` }).click();
  await expect(page.getByRole('button', { name: 'Menu' })).toBeVisible();
}

/** Nothing on the page is wider than the phone: no sideways scrolling. */
async function expectFitsTheWidth(page: Page) {
  const overflow = await page.evaluate(() => {
    const width = window.innerWidth;
    const wide: string[] = [];
    for (const el of Array.from(document.querySelectorAll('main *'))) {
      const box = (el as HTMLElement).getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      // inside a box that scrolls on its own is fine (e.g. a code block)
      let scroller: HTMLElement | null = el.parentElement;
      let scrolls = false;
      while (scroller && scroller.tagName !== 'MAIN') {
        const style = getComputedStyle(scroller);
        if (['auto', 'scroll'].includes(style.overflowX)) scrolls = true;
        scroller = scroller.parentElement;
      }
      if (!scrolls && box.right > width + 1) {
        wide.push(
          `${el.tagName.toLowerCase()}.${String(
            (el as HTMLElement).className,
          ).slice(0, 60)} right=${Math.round(box.right)}`,
        );
      }
    }
    return wide.slice(0, 10);
  });
  expect(overflow, 'elements wider than the phone').toEqual([]);
}

test('alice requests access from her phone', async ({ page }) => {
  await signIn(page, 'alice');
  await page.getByRole('button', { name: 'Menu' }).click();
  await page
    .getByRole('link', { name: /Elevated access/ })
    .first()
    .click();
  await page.getByRole('tab', { name: 'Request access' }).click();
  await expect(page.getByLabel('AWS account')).toBeVisible();
  // every tab's name is whole, not cut to "ACT…"
  for (const tab of await page.getByRole('tab').all()) {
    const cut = await tab.evaluate(el => el.scrollWidth > el.clientWidth + 1);
    expect(cut, `tab "${await tab.textContent()}" is cut`).toBe(false);
  }

  await page.getByLabel('AWS account').click();
  await page.getByRole('option', { name: /data-dev/ }).click();
  await page.getByLabel('Permission set').click();
  await page.getByRole('option', { name: /PowerUserAccess/ }).click();
  await page
    .getByLabel('Justification')
    .fill('Check the data-dev backfill (INC-88)');
  await page.getByLabel('Ticket').fill('OPS-888');
  await page.getByRole('button', { name: '1 h' }).click();
  // the rules come before the button that accepts them
  const terms = await page.getByTestId('pair-terms').boundingBox();
  const submit = await page
    .getByRole('button', { name: 'Submit request' })
    .boundingBox();
  expect(terms!.y).toBeLessThan(submit!.y);
  await expectFitsTheWidth(page);
  await checkpoint(page, 'phone-01-request', { height: 1800 });
  await page.getByRole('button', { name: 'Submit request' }).click();

  await expect(page).toHaveURL(/\/elevated-access\/requests\/[0-9a-f-]{36}/);
  requestId = page.url().split('/').pop()!;
  await expect(page.getByTestId('status-pending').first()).toBeVisible();
  await expect(page.getByTestId('request-submitted')).toContainText('bob');
  await expectFitsTheWidth(page);
  await checkpoint(page, 'phone-02-request-pending', { height: 1400 });
});

test('bob approves it from his phone', async ({ page }) => {
  await signIn(page, 'bob');
  // with a decision waiting, the page opens on the inbox
  await page.goto('/elevated-access');
  await expect(page).toHaveURL(/\/elevated-access\/approvals/);
  const card = page.getByText('Check the data-dev backfill (INC-88)').first();
  await expect(card).toBeVisible();
  await expectFitsTheWidth(page);
  await checkpoint(page, 'phone-03-inbox', { height: 1400 });
  await page.getByRole('button', { name: 'Approve' }).first().click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel('Comment')).toBeFocused();
  await dialog.getByLabel('Comment').fill('Fine, one hour');
  await checkpoint(page, 'phone-04-approve-dialog');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(
    page.getByText('Nothing waits for your decision.'),
  ).toBeVisible();
});

test('carol finds it in Audit on her phone and comes back to her filter', async ({
  page,
}) => {
  await signIn(page, 'carol');
  await page.goto('/elevated-access/audit?requester=user%3Adefault%2Falice');
  const row = page.getByText('data-dev').first();
  await expect(row).toBeVisible();
  await expectFitsTheWidth(page);
  await checkpoint(page, 'phone-05-audit', { height: 1400 });
  await page
    .getByRole('link', { name: /data-dev|Open/ })
    .first()
    .click();
  await expect(page).toHaveURL(new RegExp(`/requests/${requestId}`));
  await expect(page.getByText('Fine, one hour').first()).toBeVisible();
  await expectFitsTheWidth(page);
  await checkpoint(page, 'phone-06-audit-request', { height: 1600 });
  await page.getByTestId('request-back').click();
  await expect(page).toHaveURL(/requester=user%3Adefault%2Falice/);
});
