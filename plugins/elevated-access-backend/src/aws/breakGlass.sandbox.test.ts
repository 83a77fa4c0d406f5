import {
  ListAccountAssignmentsCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  RunningSandbox,
  SandboxSeed,
  startSandbox,
} from '@internal/aws-sandbox';
import { AccessRequestDetail } from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';
import { fakeDateOnly } from '../__testUtils__/fakeDate';
import { demoApprovers } from '../__testUtils__/fixtures';

jest.setTimeout(180_000);

/*
 * Break-glass (issue 14 §4) against the AWS sandbox over the wire: alice's
 * break-glass request is assigned in Identity Center at once with no
 * approval, bob and the auditors hear of it at once, the assignment is
 * removed at the end, the activity is collected, and then bob (not alice)
 * reviews it; the review is in the history and the requests CSV.
 */

process.env.AWS_ACCESS_KEY_ID = 'sandbox';
process.env.AWS_SECRET_ACCESS_KEY = 'sandbox';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const MINUTE = 60_000;

describe('break-glass on the AWS sandbox', () => {
  let sandbox: RunningSandbox;
  let seed: SandboxSeed;
  let sso: SSOAdminClient;
  let api: ElevatedAccessTestBackend;
  let now: number;

  const setNow = (t: number) => {
    now = t;
    jest.setSystemTime(t);
  };

  beforeAll(async () => {
    sandbox = await startSandbox();
    seed = sandbox.seed!;
    sso = new SSOAdminClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
  });
  afterAll(() => sandbox?.stop());

  beforeEach(async () => {
    fakeDateOnly();
    setNow(Date.UTC(2026, 10, 21, 9, 0, 0));
    await sandbox.reset();
    await sandbox.seedDemo();
    api = await startElevatedAccess({
      knex: await databases.init('SQLITE_3'),
      provider: 'aws',
      config: {
        aws: {
          region: 'us-east-1',
          endpoint: sandbox.url,
          activity: { paddingMinutes: 5, settleMinutes: 5 },
        },
      },
    });
    const created = await Promise.all([
      api.post('dave', '/policies/eligibility', {
        name: 'Developers break-glass on workloads',
        principals: ['group:default/developers'],
        accounts: [],
        ous: [seed.ous.Workloads],
        permissionSets: [seed.permissionSets.PowerUserAccess],
        maxDurationMinutes: 60,
        approvalRequired: true,
        ticketRequired: true,
        breakGlass: true,
      }),
      api.post(
        'dave',
        '/policies/approval',
        demoApprovers('platformLeadsApproveWorkloads', seed),
      ),
    ]);
    if (created.some(r => r.status !== 201)) {
      throw new Error(
        `Policies were not created: ${JSON.stringify(
          created.map(r => r.body),
        )}`,
      );
    }
  });
  afterEach(async () => {
    await api.stop();
    await sandbox.clearFaults();
    jest.useRealTimers();
  });

  const assigned = async () => {
    const res = await sso.send(
      new ListAccountAssignmentsCommand({
        InstanceArn: seed.instanceArn,
        AccountId: seed.accounts['payments-prod'],
        PermissionSetArn: seed.permissionSets.PowerUserAccess,
      }),
    );
    return (res.AccountAssignments ?? []).filter(
      a => a.PrincipalId === seed.users.alice,
    ).length;
  };
  const detail = async (id: string): Promise<AccessRequestDetail> =>
    (await api.get('alice', `/requests/${id}`)).body;
  const told = (ref: string) =>
    api.notifications.send.mock.calls
      .map(([o]) => o)
      .filter(o =>
        [(o.recipients as { entityRef: string | string[] }).entityRef]
          .flat()
          .includes(ref),
      );

  it('break-glass creates, notifies, and is reviewed by bob, not alice', async () => {
    const created = await api.post('alice', '/requests', {
      accountId: seed.accounts['payments-prod'],
      permissionSetArn: seed.permissionSets.PowerUserAccess,
      durationMinutes: 60,
      justification: 'Payments are failing in production',
      ticketId: 'INC-12',
      breakGlass: true,
    });
    expect([created.status, created.body.status]).toEqual([201, 'approved']);
    const id = created.body.id;

    // no approval: the assignment exists after the next lifecycle run
    await api.runTask('lifecycle');
    const active = await detail(id);
    expect(active).toMatchObject({
      status: 'active',
      breakGlass: true,
      awaitingReview: true,
    });
    expect(await assigned()).toBe(1);
    expect(active.decisions).toEqual([]);

    // bob (through his group) and the auditors were told at once, high
    for (const ref of [
      'group:default/platform-leads',
      'group:default/security-auditors',
    ]) {
      expect(told(ref)).toEqual([
        expect.objectContaining({
          payload: expect.objectContaining({
            title: 'Break-glass: PowerUserAccess on payments-prod for alice',
            severity: 'high',
            link: `/elevated-access/requests/${id}`,
          }),
        }),
      ]);
    }

    // the end: the assignment is removed
    setNow(now + 61 * MINUTE);
    await api.runTask('lifecycle');
    expect((await detail(id)).status).toBe('ended');
    expect(await assigned()).toBe(0);

    // the activity is collected once padding and settle have passed
    setNow(now + 11 * MINUTE);
    await api.runTask('activity');
    expect((await detail(id)).activityComplete).toBe(true);
    const activity = await api.get('bob', `/requests/${id}/activity`);
    expect([activity.status, activity.body.complete]).toEqual([200, true]);

    const byAlice = await api.post('alice', `/requests/${id}/review`, {
      outcome: 'appropriate',
    });
    expect([byAlice.status, byAlice.body.error?.message]).toEqual([
      403,
      'Nobody reviews their own break-glass request',
    ]);
    const byBob = await api.post('bob', `/requests/${id}/review`, {
      outcome: 'appropriate',
      comment: 'Restarted the payment workers only',
    });
    expect([byBob.status, byBob.body.review?.outcome]).toEqual([
      200,
      'appropriate',
    ]);

    const history = (await detail(id)).events;
    expect(history.map(e => e.action)).toEqual([
      'create',
      'start-grant',
      'grant-succeeded',
      'end',
      'revoke-succeeded',
      'review',
    ]);
    expect(history.at(-1)).toMatchObject({
      actorRef: 'user:default/bob',
      message: 'Reviewed as appropriate: Restarted the payment workers only',
    });
    const csv = await api.get('carol', '/audit/requests.csv?breakGlass=true');
    expect(csv.status).toBe(200);
    const [header, row, ...rest] = csv.text.trim().split('\n');
    expect(rest).toEqual([]);
    expect(header.split(',').slice(-5)).toEqual([
      'break_glass',
      'review_outcome',
      'reviewed_by',
      'reviewed_at',
      'review_comment',
    ]);
    expect(row.split(',').slice(-5)).toEqual([
      'true',
      'appropriate',
      'user:default/bob',
      new Date(now).toISOString(),
      'Restarted the payment workers only',
    ]);
  });
});
