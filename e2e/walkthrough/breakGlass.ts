import { Browser, expect, Page } from '@playwright/test';
import { checkpoint, expectAccessible, NOTIFICATIONS_PAGE } from '../a11y';
import { callApi, tokenFor } from '../helpers';
import { openAs } from './personas';

/*
 * alice's break-glass access to data-prod: she gets it without approval, bob
 * and carol are told at once, she ends it, carol sees it awaiting review and
 * bob reviews it once its activity is in.
 */

/** alice gets break-glass access from the request form; returns its id. */
export async function useBreakGlassOnDataProd(page: Page): Promise<string> {
  await page.goto('/elevated-access/request');
  await page.getByLabel('AWS account').click();
  await page.getByRole('option', { name: /data-prod/ }).click();
  await page.getByLabel('Permission set').click();
  await page.getByRole('option', { name: /PowerUserAccess/ }).click();
  // a policy allows break-glass here: the form offers it, with a warning
  await page
    .getByLabel('Break-glass: I need access now, without approval')
    .check();
  await expect(page.getByText(/Break-glass is for emergencies/)).toBeVisible();
  await page
    .getByLabel('Justification')
    .fill('Data pipeline outage: roll back the bad deploy');
  await page.getByLabel('Ticket').fill('INC-77');
  await page.getByRole('button', { name: '30 min' }).click();
  await expectAccessible(page, 'break-glass form');
  await checkpoint(page, '24-break-glass-form');
  await page
    .getByRole('button', { name: 'Get break-glass access now' })
    .click();
  await expect(page).toHaveURL(/\/elevated-access\/requests\/[0-9a-f-]{36}/);
  const breakGlassId = new URL(page.url()).pathname.split('/').pop()!;
  // approved at once, without bob: the lifecycle grants it within seconds
  await expect(page.getByTestId('status-active').first()).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByText('Break-glass').first()).toBeVisible();
  await checkpoint(page, '25-break-glass-active');
  return breakGlassId;
}

/** The approver (bob) and the auditor (carol) find the notice. */
export async function expectBobAndCarolTold(browser: Browser) {
  // the approver and the auditor are told at once
  for (const persona of ['bob', 'carol']) {
    const other = await openAs(browser, persona);
    await other.goto('/notifications');
    await expect(
      other.getByText(/alice used break-glass/).first(),
    ).toBeVisible();
    if (persona === 'bob')
      await checkpoint(other, '26-break-glass-notice', NOTIFICATIONS_PAGE);
    await other.context().close();
  }
}

/** alice revokes it herself, and may not review it herself. */
export async function endBreakGlass(page: Page, breakGlassId: string) {
  await page.getByRole('button', { name: 'Revoke' }).first().click();
  await page.getByLabel('Comment').fill('Rolled back, outage over');
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Revoke' })
    .click();
  await expect(page.getByTestId('status-revoked').first()).toBeVisible({
    timeout: 60_000,
  });
  // nobody reviews their own break-glass, not even over the API
  await expect(
    callApi(
      await tokenFor('alice'),
      'POST',
      `/requests/${breakGlassId}/review`,
      {
        outcome: 'appropriate',
      },
    ),
  ).rejects.toThrow(/403/);
}

/** carol's audit page says one break-glass request awaits review. */
export async function carolSeesItAwaitingReview(browser: Browser) {
  // carol sees it waiting for review on the audit page
  const carol = await openAs(browser, 'carol');
  await carol.goto('/elevated-access/audit');
  await expect(
    carol.getByText(/1 break-glass request awaits review/),
  ).toBeVisible();
  await carol.getByRole('button', { name: 'Show them' }).click();
  await expect(carol).toHaveURL(/review=awaiting/);
  await expect(
    carol.getByRole('row', { name: /data-prod/ }).first(),
  ).toBeVisible();
  await checkpoint(carol, '27-audit-awaiting-review');
  await carol.context().close();
}

/** bob reviews the session as appropriate from his inbox. */
export async function bobReviewsBreakGlass(browser: Browser) {
  const bob = await openAs(browser, 'bob');
  await bob.goto('/elevated-access/approvals');
  const review = bob.getByRole('link', {
    name: "Review alice's break-glass access to PowerUserAccess on data-prod",
  });
  // reviewable once the activity has settled (a minute after the end here)
  await expect(async () => {
    await bob.reload();
    await expect(review).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 240_000, intervals: [5_000] });
  await checkpoint(bob, '28-break-glass-to-review');
  await review.click();
  const dialog = bob.getByRole('dialog', {
    name: "Review alice's break-glass access to PowerUserAccess on data-prod",
  });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('radio', { name: 'Appropriate', exact: true }).check();
  await dialog
    .getByLabel('Comment')
    .fill('A rollback only, as the incident needed');
  await expectAccessible(bob, 'review dialog');
  await dialog.getByRole('button', { name: 'Submit review' }).click();
  await expect(
    bob.getByText(/Reviewed by bob: appropriate/).first(),
  ).toBeVisible();
  await expect(bob.getByTestId('request-history')).toContainText(
    'Reviewed as appropriate',
  );
  await checkpoint(bob, '29-break-glass-reviewed');
  await bob.context().close();
}
