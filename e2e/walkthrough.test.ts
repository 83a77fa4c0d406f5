import { SandboxControl, SandboxSeed } from '@internal/aws-sandbox';
import { expect, test } from '@playwright/test';
import { checkpoint, expectAccessible, NOTIFICATIONS_PAGE } from './a11y';
import { callApi, screenshot, tokenFor } from './helpers';
import {
  expectActive,
  extendWithBobsApproval,
  revokeAndEndSessions,
} from './walkthrough/activeAccess';
import {
  expectActivityAndItsCsv,
  expectRequestsCsv,
  findAlicesRequest,
} from './walkthrough/audit';
import {
  bobReviewsBreakGlass,
  carolSeesItAwaitingReview,
  endBreakGlass,
  expectBobAndCarolTold,
  useBreakGlassOnDataProd,
} from './walkthrough/breakGlass';
import {
  aliceRequestsFromPaymentsService,
  bobReadsPaymentsProdAndDevelopersMayAskForAdmin,
  erinApproves,
} from './walkthrough/entityCard';
import { openAs } from './walkthrough/personas';
import { aliceAssignments, recordAliceWorking } from './walkthrough/sandbox';

/*
 * The demo walkthrough (issue 5): alice requests PowerUserAccess on
 * payments-prod; bob sees it in his inbox with the badge and approves; alice
 * sees it active and the sandbox has the assignment; alice revokes; carol
 * finds the request and its activity in Audit, searches the log and
 * downloads both CSVs; alice runs the break-fix template (issue 6) and bob
 * finds that request in his inbox; dave edits a policy and alice's form
 * changes.
 */

const sandbox = new SandboxControl(
  process.env.E2E_SANDBOX_URL ?? 'http://127.0.0.1:4566',
);
let seed: SandboxSeed;
let requestId: string;
/** alice's short read-only session, which the "ends soon" notice reaches. */
let shortSessionId: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  seed = await sandbox.seedDemo();
});

test('alice starts 9 minutes of read-only access on payments-dev (no approval)', async () => {
  // The e2e config sends "ends soon" 4 minutes before the end: this session
  // hears it 5 minutes in (its window is over twice the notice), and the last step of the walkthrough extends it from
  // the notice.
  const created = await callApi(await tokenFor('alice'), 'POST', '/requests', {
    accountId: seed.accounts['payments-dev'],
    permissionSetArn: seed.permissionSets.ReadOnlyAccess,
    durationMinutes: 9,
    justification: 'Check the nightly batch logs',
  });
  expect(created.status).toBe('approved');
  shortSessionId = created.id;
});

test('alice requests PowerUserAccess on payments-prod', async ({ browser }) => {
  const page = await openAs(browser, 'alice');
  await page.getByRole('link', { name: 'Elevated access' }).first().click();
  await page.getByRole('tab', { name: 'Request access' }).click();
  await expect(page.getByLabel('AWS account')).toBeVisible();
  await checkpoint(page, '02-request-form');

  await page.getByLabel('AWS account').click();
  // accounts are grouped by OU and only eligible ones are offered
  await expect(
    page.getByRole('option', { name: /payments-prod/ }),
  ).toBeVisible();
  await expect(page.getByRole('option', { name: /audit/ })).toHaveCount(0);
  await expectAccessible(page, 'account list open');
  await page.getByRole('option', { name: /payments-prod/ }).click();
  await page.getByLabel('Permission set').click();
  await expect(
    page.getByRole('option', { name: /AdministratorAccess/ }),
  ).toHaveCount(0);
  await page.getByRole('option', { name: /PowerUserAccess/ }).click();
  await expect(page.getByTestId('pair-terms')).toContainText(
    'up to 4 h, approval needed, ticket required',
  );
  // the leads approve workloads; payments-team owns payments-prod in the
  // catalog, and owners approve production
  await expect(page.getByTestId('pair-terms')).toContainText(
    'Needs approval by payments-team, platform-leads',
  );

  // the form checks input with the shared schema before sending
  await page.getByRole('button', { name: 'Submit request' }).click();
  await expect(
    page.getByText('Justification must be at least 10 characters'),
  ).toBeVisible();
  await expect(
    page.getByText('A ticket is required for this access'),
  ).toBeVisible();
  await expectAccessible(page, 'request form with errors');

  await page
    .getByLabel('Justification')
    .fill('Hotfix the payment pipeline (INC-42)');
  await page.getByLabel('Ticket').fill('OPS-123');
  await page.getByRole('button', { name: '1 h' }).click();
  await checkpoint(page, '03-request-filled');
  await page.getByRole('button', { name: 'Submit request' }).click();

  await expect(page).toHaveURL(/\/elevated-access\/requests\/[0-9a-f-]{36}/);
  requestId = page.url().split('/').pop()!;
  await expect(page.getByTestId('status-pending').first()).toBeVisible();
  // the page says who was told: bob leads the platform
  await expect(page.getByTestId('request-submitted')).toContainText('bob');
  await expect(
    page.getByText('Hotfix the payment pipeline (INC-42)'),
  ).toBeVisible();
  await checkpoint(page, '04-request-pending');
  await page.context().close();
});

test('bob sees it in his inbox with the badge and approves', async ({
  browser,
}) => {
  const page = await openAs(browser, 'bob');
  await expect(page.getByTestId('pending-approvals-badge')).toContainText('1');
  await page.getByRole('link', { name: 'Elevated access' }).first().click();
  await page.getByRole('tab', { name: /Approvals \(1\)/ }).click();
  await expect(page.getByText('Waiting for your decision')).toBeVisible();
  await expect(
    page.getByText('Hotfix the payment pipeline (INC-42)').first(),
  ).toBeVisible();
  await expect(page.getByText(/Recent requests by alice/)).toBeVisible();
  await checkpoint(page, '05-approvals-inbox');
  await page.getByRole('button', { name: 'Approve' }).first().click();
  await page.getByLabel('Comment').fill('Go ahead, keep it short');
  // bob approves less time than asked: 45 minutes of the hour
  await page.getByLabel('Approve for (minutes)').fill('45');
  await expectAccessible(page, 'approve dialog');
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Approve' })
    .click();
  await expect(
    page.getByText('Nothing waits for your decision.'),
  ).toBeVisible();
  await expect(page.getByTestId('pending-approvals-badge')).not.toContainText(
    '1',
  );
  await page.context().close();
});

test('alice sees it active, the sandbox has the assignment, alice revokes', async ({
  browser,
}) => {
  // grant, extension, revocation and ended sessions each wait for a job
  test.setTimeout(240_000);
  const page = await openAs(browser, 'alice');
  const assignments = () => aliceAssignments(sandbox, seed);
  await expectActive(page, requestId, assignments);
  // alice works in the account, in two regions; CloudTrail records it
  await recordAliceWorking(sandbox, seed, requestId);
  await extendWithBobsApproval(browser, page, requestId, assignments);
  await revokeAndEndSessions(page, requestId, assignments);
  await page.context().close();
});

test('alice uses break-glass on data-prod; bob and carol hear at once', async ({
  browser,
}) => {
  const page = await openAs(browser, 'alice');
  const breakGlassId = await useBreakGlassOnDataProd(page);
  await expectBobAndCarolTold(browser);
  // the outage is over: alice ends her access
  await endBreakGlass(page, breakGlassId);
  await page.context().close();
  await carolSeesItAwaitingReview(browser);
});

test('carol finds the request and its activity in Audit and downloads both CSVs', async ({
  browser,
}) => {
  const page = await openAs(browser, 'carol');
  const row = await findAlicesRequest(page);
  await expectRequestsCsv(page, requestId);
  await expectActivityAndItsCsv(page, row, requestId);
  await page.context().close();
});

test('bob finds the request under Decided; carol reads the approval history and Insights', async ({
  browser,
}) => {
  const bob = await openAs(browser, 'bob');
  await bob.goto('/elevated-access/decided');
  await expect(
    bob.getByRole('row', { name: /payments-prod/ }).first(),
  ).toBeVisible();
  await checkpoint(bob, '17-decided');
  await bob.context().close();

  const carol = await openAs(browser, 'carol');
  await carol.goto('/elevated-access/audit?view=decisions');
  await expect(
    carol.getByRole('row', { name: /Go ahead, keep it short/ }).first(),
  ).toBeVisible();
  await checkpoint(carol, '18-approval-history');

  await carol.goto('/elevated-access/insights');
  await expect(carol.getByText(/Grants per/).first()).toBeVisible();
  await expect(carol.getByText('PowerUserAccess').first()).toBeVisible();
  await checkpoint(carol, '19-insights', { height: 1500 });
  await carol.context().close();
});

test('alice runs the break-fix template and bob finds the request in his inbox', async ({
  browser,
}) => {
  const alice = await openAs(browser, 'alice');
  await alice.goto('/create');
  await alice
    .getByRole('article')
    .filter({ hasText: 'Request break-fix access' })
    .getByRole('button', { name: 'Choose' })
    .click();
  await alice.getByLabel('Account').fill('payments-prod');
  await expect(alice.getByLabel('Permission set')).toHaveValue(
    'PowerUserAccess',
  );
  await alice.getByRole('button', { name: 'Next' }).click();
  await alice
    .getByLabel('Justification')
    .fill('Database failover stuck (INC-77)');
  await alice.getByLabel('Ticket').fill('OPS-777');
  await alice.getByRole('button', { name: 'Review' }).click();
  await checkpoint(alice, '15-template-review');
  await alice.getByRole('button', { name: 'Create' }).click();
  const link = alice.getByRole('link', { name: 'Open the request' });
  await expect(link).toBeVisible({ timeout: 60_000 });
  await expect(alice.getByText(/the request is\s+pending/)).toBeVisible();
  // Backstage's own scaffolder task page (its log viewer and progress bar
  // have axe findings of their own): a screenshot, no accessibility check
  await screenshot(alice, '16-template-done');
  const href = await link.getAttribute('href');
  const templateRequestId = href!.split('/').pop()!;
  await alice.context().close();

  const bob = await openAs(browser, 'bob');
  await bob.goto('/elevated-access/approvals');
  await expect(
    bob.getByText('Database failover stuck (INC-77)').first(),
  ).toBeVisible();
  // Leave the inbox as the walkthrough found it: bob rejects this one.
  await bob.goto(`/elevated-access/requests/${templateRequestId}`);
  await expect(bob.getByText('OPS-777')).toBeVisible();
  await bob.getByRole('button', { name: 'Reject' }).click();
  await bob.getByLabel('Comment').fill('Failover recovered on its own');
  await expectAccessible(bob, 'reject dialog');
  await bob.getByRole('dialog').getByRole('button', { name: 'Reject' }).click();
  await expect(bob.getByText('Rejected').first()).toBeVisible();
  await bob.context().close();
});

test("dave edits a policy and alice's request form changes", async ({
  browser,
}) => {
  const dave = await openAs(browser, 'dave');
  await dave.goto('/elevated-access/admin');
  await expect(
    dave.getByText('Developers: power user on workloads'),
  ).toBeVisible();
  await checkpoint(dave, '11-admin-policies');
  await dave
    .getByRole('button', { name: 'Edit Developers: power user on workloads' })
    .click();
  await expect(dave.getByRole('dialog')).toBeVisible();
  await dave.getByLabel('Max duration (minutes)').fill('120');
  await dave.getByRole('dialog').getByLabel('Approval required').uncheck();
  await checkpoint(dave, '12-admin-policy-edit');
  await dave.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(dave.getByRole('dialog')).toHaveCount(0);
  await expect(dave.getByText(/up to 2 h · no approval/)).toBeVisible();
  await dave.getByRole('tab', { name: 'Settings' }).click();
  await expect(
    dave.getByRole('button', { name: 'Save settings' }),
  ).toBeVisible();
  await dave.getByLabel('Max duration (minutes)').fill('90');
  await checkpoint(dave, '13-admin-settings');
  await dave.getByRole('button', { name: 'Save settings' }).click();
  await expect(dave.getByText(/Last changed .* by dave/)).toBeVisible();
  // the change history shows both edits, field by field
  await dave.goto('/elevated-access/audit?view=changes');
  await expect(
    dave.getByText('Developers: power user on workloads').first(),
  ).toBeVisible();
  await expect(dave.getByText('Max duration (minutes)').first()).toBeVisible();
  await checkpoint(dave, '20-change-history');
  await dave.context().close();

  const alice = await openAs(browser, 'alice');
  await alice.goto('/elevated-access/request');
  await alice.getByLabel('AWS account').click();
  await alice.getByRole('option', { name: /payments-prod/ }).click();
  await alice.getByLabel('Permission set').click();
  await alice.getByRole('option', { name: /PowerUserAccess/ }).click();
  await expect(alice.getByTestId('pair-terms')).toContainText(
    // The policy now allows 2 h; the global cap dave just saved is lower.
    'up to 1 h 30 min, no approval, ticket required',
  );
  await expect(alice.getByTestId('pair-terms')).toContainText(
    'No approval needed',
  );
  await expect(alice.getByRole('button', { name: '4 h' })).toHaveCount(0);
  await alice.goto('/elevated-access/requests');
  await expect(
    alice.getByRole('heading', { name: 'My requests' }),
  ).toBeVisible();
  await checkpoint(alice, '14-my-requests');
  await alice.context().close();
});

test("bob reviews alice's break-glass session once its activity is in", async ({
  browser,
}) => {
  await bobReviewsBreakGlass(browser);
});

test('the "ends soon" notice leads alice to extend her read-only session', async ({
  browser,
}) => {
  // the notice comes 4 minutes before the end, i.e. 5 minutes after the
  // grant; the steps before this one take about that long
  test.setTimeout(480_000);
  const page = await openAs(browser, 'alice');
  await page.goto('/notifications');
  const notice = page
    .getByRole('link', { name: /Ends soon: ReadOnlyAccess on payments-dev/ })
    .first();
  await expect(async () => {
    await page.reload();
    await expect(notice).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 360_000, intervals: [5_000] });
  await checkpoint(page, '22-ends-soon-notice', NOTIFICATIONS_PAGE);
  await notice.click();
  await expect(page).toHaveURL(
    new RegExp(`/elevated-access/requests/${shortSessionId}`),
  );
  const extend = page.getByRole('dialog', {
    name: 'Extend ReadOnlyAccess on payments-dev',
  });
  await expect(extend).toBeVisible();
  await extend.getByRole('radio', { name: '15 min' }).check();
  await extend
    .getByRole('textbox', { name: 'Justification' })
    .fill('The batch rerun is still going');
  await extend.getByRole('button', { name: 'Extend' }).click();
  // read-only needs no approval: the end moves at once
  await expect(extend.getByRole('status')).toContainText('Extended by 15 min');
  await checkpoint(page, '23-extended-from-notice');
  await page.keyboard.press('Escape');
  await page.context().close();
});

test("alice requests from the payments-service page, where bob's access shows, and its owner erin approves", async ({
  browser,
}) => {
  await bobReadsPaymentsProdAndDevelopersMayAskForAdmin(seed);
  const fromCard = await aliceRequestsFromPaymentsService(browser);
  await erinApproves(browser, fromCard);
});
