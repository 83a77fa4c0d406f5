import { expect, test } from '@playwright/test';
import { callApi, screenshot, signInAs, tokenFor } from './helpers';

/*
 * Issue 10, section 3: the approver decides the request they chose. bob opens
 * Reject for erin's request A from the inbox's side panel and types a reason;
 * alice's request B arrives through the live refresh meanwhile. The inbox
 * announces B instead of moving to it, the dialog stays on A with the draft,
 * and confirming rejects A (with the reason) while B stays pending.
 *
 * It leaves nothing pending (B is withdrawn at the end), so the walkthrough
 * that runs after it finds the inbox empty as it expects.
 */

interface Request {
  id: string;
  status: string;
  decisions?: { approverRef: string; decision: string; comment?: string }[];
}

const created: { token: string; id: string }[] = [];

test.afterAll(async () => {
  // withdraw whatever this file left pending, even when a step failed
  for (const { token, id } of created) {
    const now = await callApi<Request>(token, 'GET', `/requests/${id}`);
    if (now.status === 'pending') {
      await callApi(token, 'POST', `/requests/${id}/cancel`, {});
    }
  }
});

test('bob decides the request he chose while another one arrives', async ({
  page,
}) => {
  const [erin, alice, bob] = await Promise.all(
    ['erin', 'alice', 'bob'].map(tokenFor),
  );
  const eligibility = await callApi<{
    accounts: { id: string; name: string }[];
    permissionSets: { arn: string; name: string }[];
  }>(erin, 'GET', '/eligibility');
  const account = (name: string) =>
    eligibility.accounts.find(a => a.name === name)!.id;
  const powerUser = eligibility.permissionSets.find(
    p => p.name === 'PowerUserAccess',
  )!.arn;
  const requestAs = async (
    token: string,
    accountName: string,
    justification: string,
    ticketId: string,
  ) => {
    const r = await callApi<Request>(token, 'POST', '/requests', {
      accountId: account(accountName),
      permissionSetArn: powerUser,
      durationMinutes: 60,
      justification,
      ticketId,
    });
    created.push({ token, id: r.id });
    expect(r.status).toBe('pending');
    return r;
  };

  const a = await requestAs(
    erin,
    'payments-prod',
    'Race A: rotate the payments keys',
    'OPS-501',
  );

  await signInAs(page, 'bob');
  await page.goto('/elevated-access/approvals');
  const panel = page.getByTestId('selected-request');
  await expect(panel).toContainText('Race A: rotate the payments keys');
  await panel.getByRole('button', { name: 'Reject' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(
    'Reject PowerUserAccess on payments-prod?',
  );
  const reason = 'Not during the payments freeze';
  await dialog.getByLabel('Comment').fill(reason);

  // alice's request arrives while bob has the dialog open
  const b = await requestAs(
    alice,
    'payments-dev',
    'Race B: debug the dev pipeline',
    'OPS-502',
  );
  // the inbox has refreshed: B is announced, not shown in A's place
  await expect(page.getByTestId('new-requests-notice')).toHaveText(
    '1 new request',
    { timeout: 60_000 },
  );
  await expect(dialog).toContainText(
    'Reject PowerUserAccess on payments-prod?',
  );
  await expect(dialog).not.toContainText('payments-dev');
  await expect(dialog.getByLabel('Comment')).toHaveValue(reason);
  await expect(panel).toContainText('Race A: rotate the payments keys');
  await expect(panel).not.toContainText('Race B');
  await screenshot(page, '17-inbox-new-request-while-deciding');

  await dialog.getByRole('button', { name: 'Reject' }).click();
  await expect(dialog).toHaveCount(0);

  const decidedA = await callApi<Request>(bob, 'GET', `/requests/${a.id}`);
  expect(decidedA.status).toBe('rejected');
  expect(decidedA.decisions).toEqual([
    expect.objectContaining({
      approverRef: 'user:default/bob',
      decision: 'reject',
      comment: reason,
    }),
  ]);
  const untouchedB = await callApi<Request>(bob, 'GET', `/requests/${b.id}`);
  expect(untouchedB.status).toBe('pending');
  expect(untouchedB.decisions ?? []).toEqual([]);

  // the panel stays on A and says it left; B comes in when bob asks for it
  await expect(page.getByTestId('selected-request-left')).toContainText(
    'Rejected',
  );
  await page.getByTestId('new-requests-notice').click();
  await expect(
    page.getByRole('row', { name: /payments-dev/ }).first(),
  ).toBeVisible();
  await expect(panel).toContainText('Race A: rotate the payments keys');
});
