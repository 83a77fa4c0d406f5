import { SandboxSeed } from '@internal/aws-sandbox';
import { Browser, expect } from '@playwright/test';
import { checkpoint } from '../a11y';
import { callApi, tokenFor } from '../helpers';
import { openAs } from './personas';

/*
 * Elevated access from a catalog entity: the payments-service page shows
 * who holds access to its account (bob) and offers a request for it, which
 * goes to the account's owner (erin).
 */

/**
 * Set-up through the API: bob may read production without approval and
 * holds read-only access to payments-prod; developers may ask for
 * AdministratorAccess there with approval (its owners approve production).
 */
export async function bobReadsPaymentsProdAndDevelopersMayAskForAdmin(
  seed: SandboxSeed,
) {
  const [dave, bob] = await Promise.all(['dave', 'bob'].map(tokenFor));
  const targets = await callApi<{
    permissionSets: Array<{ arn: string; name: string }>;
    organizationalUnits: Array<{ id: string; name: string }>;
  }>(dave, 'GET', '/targets');
  const arn = (name: string) =>
    targets.permissionSets.find(p => p.name === name)!.arn;
  const production = targets.organizationalUnits.find(
    o => o.name === 'Production',
  )!.id;
  const policy = {
    accounts: [],
    ous: [production],
    maxDurationMinutes: 60,
    ticketRequired: false,
  };
  await callApi(dave, 'POST', '/policies/eligibility', {
    ...policy,
    name: 'Platform leads: read-only on production',
    principals: ['group:default/platform-leads'],
    permissionSets: [arn('ReadOnlyAccess')],
    approvalRequired: false,
  });
  await callApi(dave, 'POST', '/policies/eligibility', {
    ...policy,
    name: 'Developers: admin on production, owners approve',
    principals: ['group:default/developers'],
    permissionSets: [arn('AdministratorAccess')],
    approvalRequired: true,
  });
  const bobs = await callApi<{ id: string }>(bob, 'POST', '/requests', {
    accountId: seed.accounts['payments-prod'],
    permissionSetArn: arn('ReadOnlyAccess'),
    durationMinutes: 60,
    justification: 'Checking the settlement batch',
  });
  await expect(async () => {
    const now = await callApi<{ status: string }>(
      bob,
      'GET',
      `/requests/${bobs.id}`,
    );
    expect(now.status).toBe('active');
  }).toPass({ timeout: 60_000, intervals: [1_000] });
}

/**
 * alice finds bob's access on the payments-service page and requests
 * AdministratorAccess from its card; returns the request's id.
 */
export async function aliceRequestsFromPaymentsService(
  browser: Browser,
): Promise<string> {
  const alice = await openAs(browser, 'alice');
  await alice.goto('/catalog/default/component/payments-service');
  const card = alice
    .getByRole('heading', { name: 'Elevated access' })
    .locator('xpath=ancestor::*[contains(@class,"MuiCard-root")][1]');
  const grant = alice.getByTestId('entity-grant').first();
  // the catalog module writes payments-prod's entity on its first run
  await expect(async () => {
    await alice.reload();
    await expect(grant).toContainText('bob', { timeout: 5_000 });
  }).toPass({ timeout: 120_000, intervals: [3_000] });
  await expect(grant).toContainText('ReadOnlyAccess');
  await expect(grant).toContainText('payments-prod');
  await expect(card).toContainText('payments-prod');
  // the catalog's own Links card shows an example YAML snippet whose
  // syntax colours fail contrast (upstream); our card is checked
  await checkpoint(alice, '30-entity-card', { exclude: ['pre'] });
  await alice
    .getByRole('button', {
      name: /Request access: AdministratorAccess on payments-prod/,
    })
    .click();
  await expect(alice).toHaveURL(/\/elevated-access\/request\?/);
  await expect(alice.getByLabel('AWS account')).toHaveValue(/payments-prod/);
  await expect(alice.getByTestId('pair-terms')).toContainText('payments-team');
  const justification = alice.getByLabel('Justification');
  await expect(justification).toHaveValue(
    /^For component:default\/payments-service: /,
  );
  await justification.fill(
    `${await justification.inputValue()}rotate the settlement keys (INC-90)`,
  );
  await alice.getByRole('button', { name: '1 h' }).click();
  await checkpoint(alice, '31-request-from-entity');
  await alice.getByRole('button', { name: 'Submit request' }).click();
  await expect(alice).toHaveURL(/\/elevated-access\/requests\/[0-9a-f-]{36}/);
  const fromCard = alice.url().split('/').pop()!;
  await expect(alice.getByTestId('request-submitted')).toContainText('erin');
  await alice.context().close();
  return fromCard;
}

/** erin, who owns payments-prod, finds the request and approves it. */
export async function erinApproves(browser: Browser, fromCard: string) {
  const erin = await openAs(browser, 'erin');
  await erin.goto('/elevated-access/approvals');
  await expect(
    erin.getByText(/rotate the settlement keys \(INC-90\)/).first(),
  ).toBeVisible();
  await erin.goto(`/elevated-access/requests/${fromCard}`);
  await erin.getByRole('button', { name: 'Approve' }).click();
  await erin
    .getByRole('dialog')
    .getByRole('button', { name: 'Approve' })
    .click();
  await expect(erin.getByTestId('request-history')).toContainText('erin');
  await expect(
    erin.getByTestId(/status-(approved|granting|active)/).first(),
  ).toBeVisible();
  await erin.context().close();
}
