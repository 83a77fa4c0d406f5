import { Browser, expect, Page } from '@playwright/test';
import { checkpoint, expectAccessible } from '../a11y';
import { openAs } from './personas';

/*
 * alice's approved PowerUserAccess on payments-prod, from the grant to the
 * revocation: she sees it active, extends it with bob's approval and revokes
 * it. `assignments` counts her assignment in the sandbox, which the grant
 * creates, the extension leaves alone and the revocation removes.
 */

type CountAssignments = () => Promise<number>;

/** The lifecycle task grants the request: its card shows it active. */
export async function expectActive(
  page: Page,
  requestId: string,
  assignments: CountAssignments,
) {
  await page.goto('/elevated-access/active');
  // the lifecycle task grants it within seconds; the page updates live
  await expect(
    page.getByTestId(`active-${requestId}`).getByTestId('status-active'),
  ).toBeVisible({
    timeout: 60_000,
  });
  // alice's short read-only session is active too: each card has its link
  await expect(
    page
      .getByTestId(`active-${requestId}`)
      .getByRole('link', { name: 'Open AWS access portal' }),
  ).toBeVisible();
  expect(await assignments()).toBe(1);
  await checkpoint(page, '06-active-access');
}

/** alice asks for 15 more minutes and bob approves the extension. */
export async function extendWithBobsApproval(
  browser: Browser,
  page: Page,
  requestId: string,
  assignments: CountAssignments,
) {
  // alice needs 15 more minutes: the "ends soon" link opens the extend
  // dialog; PowerUserAccess needs approval, so it goes to bob
  await page.goto(`/elevated-access/requests/${requestId}?extend=1`);
  const extend = page.getByRole('dialog', {
    name: 'Extend PowerUserAccess on payments-prod',
  });
  await expect(extend).toBeVisible();
  await extend.getByRole('radio', { name: '15 min' }).check();
  await extend
    .getByRole('textbox', { name: 'Justification' })
    .fill('The fix needs one more deploy');
  await expectAccessible(page, 'extend dialog');
  await extend.getByRole('button', { name: 'Extend' }).click();
  await expect(extend.getByRole('status')).toContainText(
    'Sent to the approvers',
  );
  // the page now shows the pending extension (the dialog may close itself)
  await expect(page.getByTestId('pending-extension')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  const bob = await openAs(browser, 'bob');
  await bob.goto(`/elevated-access/requests/${requestId}`);
  await bob.getByRole('button', { name: 'Approve extension' }).click();
  await expectAccessible(bob, 'approve extension dialog');
  await bob
    .getByRole('dialog')
    .getByRole('button', { name: 'Approve extension' })
    .click();
  await expect(bob.getByTestId('notice')).toContainText('Extension approved');
  await bob.context().close();
  // the end moved without touching the assignment
  await page.reload();
  await expect(page.getByText(/15 min approved by bob/)).toBeVisible();
  await checkpoint(page, '21-extended');
  expect(await assignments()).toBe(1);
}

/**
 * alice revokes from her active access: the assignment goes, and the
 * sessions she opened before are ended too.
 */
export async function revokeAndEndSessions(
  page: Page,
  requestId: string,
  assignments: CountAssignments,
) {
  await page.goto('/elevated-access/active');
  await page
    .getByTestId(`active-${requestId}`)
    .getByRole('button', { name: 'Revoke' })
    .click();
  await page.getByLabel('Comment').fill('Pipeline fixed');
  await expectAccessible(page, 'revoke dialog');
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Revoke' })
    .click();
  // the revoke is accepted before leaving the page (leaving would cancel it)
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('notice')).toContainText(/Removing|Revoked/);
  await page.goto(`/elevated-access/requests/${requestId}`);
  await expect(page.getByTestId('status-revoked').first()).toBeVisible({
    timeout: 60_000,
  });
  expect(await assignments()).toBe(0);
  await expect(page.getByTestId('request-history')).toContainText(
    'Assignment removed',
  );
  // sessions opened before the revocation are ended too
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('sessions-ended')).toBeVisible({
      timeout: 3_000,
    });
  }).toPass({ timeout: 90_000 });
  await checkpoint(page, '07-request-revoked');
}
