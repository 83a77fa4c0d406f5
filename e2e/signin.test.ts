import { expect, test } from '@playwright/test';
import { screenshot, signInAs } from './helpers';

test('a persona signs in and opens the Elevated access page', async ({
  page,
}) => {
  await page.goto('/');
  for (const persona of ['alice', 'erin', 'bob', 'carol', 'dave']) {
    await expect(
      page.getByRole('button', { name: `Sign in as ${persona}` }),
    ).toBeVisible();
  }
  await screenshot(page, '00-sign-in');

  await signInAs(page, 'alice');
  await page.getByRole('link', { name: 'Elevated access' }).first().click();
  await expect(page).toHaveURL(/\/elevated-access/);
  await expect(
    page.getByRole('heading', { name: 'Elevated access' }),
  ).toBeVisible();
  // alice is a requester: her tabs, and not the approver, auditor or admin ones
  for (const tab of ['Request access', 'My requests', 'Active access']) {
    await expect(page.getByRole('tab', { name: tab })).toBeVisible();
  }
  for (const tab of ['Approvals', 'Audit', 'Admin']) {
    await expect(page.getByRole('tab', { name: tab })).toHaveCount(0);
  }

  // the session survives a reload, as alice
  await page.reload();
  await expect(
    page.getByRole('heading', { name: 'Elevated access' }),
  ).toBeVisible();
  await screenshot(page, '01-elevated-access-page');

  // signed in as the catalog user, with the user's group as ownership
  await page.goto('/settings');
  const identityCard = page.locator('text=Ownership Entities').locator('..');
  await expect(identityCard).toContainText('Alice Requester');
  await expect(identityCard).toContainText('Developers');
});
