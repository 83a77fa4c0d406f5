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
import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';
import { fakeDateOnly } from '../__testUtils__/fakeDate';
import { demoApprovers, demoEligibility } from '../__testUtils__/fixtures';

jest.setTimeout(180_000);

/*
 * Extend in place (issue 14 §2) against the AWS sandbox over the wire: an
 * extension moves the end and makes no AWS call at all; the assignment is
 * removed at the new end.
 */

process.env.AWS_ACCESS_KEY_ID = 'sandbox';
process.env.AWS_SECRET_ACCESS_KEY = 'sandbox';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const MINUTE = 60_000;
const ASSIGNMENT_WRITES = [
  'CreateAccountAssignment',
  'DeleteAccountAssignment',
];

describe('extend in place on the AWS sandbox', () => {
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
    const policies = [
      api.post(
        'dave',
        '/policies/eligibility',
        demoEligibility('readOnlyOnWorkloads', seed),
      ),
      api.post(
        'dave',
        '/policies/eligibility',
        demoEligibility('powerUserOnWorkloads', seed),
      ),
      api.post(
        'dave',
        '/policies/approval',
        demoApprovers('platformLeadsApproveWorkloads', seed),
      ),
    ];
    const created = await Promise.all(policies);
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

  const assigned = async (account: string, ps: string) => {
    const res = await sso.send(
      new ListAccountAssignmentsCommand({
        InstanceArn: seed.instanceArn,
        AccountId: seed.accounts[account],
        PermissionSetArn: seed.permissionSets[ps],
      }),
    );
    return (res.AccountAssignments ?? []).filter(
      a => a.PrincipalId === seed.users.alice,
    ).length;
  };
  const detail = async (id: string): Promise<AccessRequest> =>
    (await api.get('alice', `/requests/${id}`)).body;

  async function activeRequest(
    account: string,
    ps: string,
    approver?: 'bob',
  ): Promise<AccessRequest> {
    const created = await api.post('alice', '/requests', {
      accountId: seed.accounts[account],
      permissionSetArn: seed.permissionSets[ps],
      durationMinutes: 60,
      justification: 'Investigate the production incident',
      ticketId: 'OPS-9',
    });
    expect(created.status).toBe(201);
    if (approver) {
      expect(
        (await api.post(approver, `/requests/${created.body.id}/approve`, {}))
          .status,
      ).toBe(200);
    }
    await api.runTask('lifecycle');
    const active = await detail(created.body.id);
    expect(active.status).toBe('active');
    expect(await assigned(account, ps)).toBe(1);
    return active;
  }

  it('an extension within a no-approval policy moves the end with no assignment call; removed at the new end', async () => {
    const active = await activeRequest('payments-dev', 'ReadOnlyAccess');
    setNow(now + 40 * MINUTE);
    await sandbox.clearCalls();

    const extended = await api.post('alice', `/requests/${active.id}/extend`, {
      durationMinutes: 60,
      justification: 'The incident is still open',
    });
    expect([extended.status, extended.body.error?.message]).toEqual([
      200,
      undefined,
    ]);
    const newEnd = Date.parse(active.grantedAt!) + 120 * MINUTE;
    expect((await detail(active.id)).endTime).toBe(
      new Date(newEnd).toISOString(),
    );
    // the old end passes: nothing is removed, nothing re-created
    setNow(Date.parse(active.endTime) + MINUTE);
    await api.runTask('lifecycle');
    expect((await detail(active.id)).status).toBe('active');
    expect(await sandbox.calls({ operations: ASSIGNMENT_WRITES })).toEqual([]);
    expect(await assigned('payments-dev', 'ReadOnlyAccess')).toBe(1);

    // the new end: the assignment goes
    setNow(newEnd + MINUTE);
    await api.runTask('lifecycle');
    expect((await detail(active.id)).status).toBe('ended');
    expect(await assigned('payments-dev', 'ReadOnlyAccess')).toBe(0);
    const writes = await sandbox.calls({ operations: ASSIGNMENT_WRITES });
    expect(writes.map(c => c.operation)).toEqual(['DeleteAccountAssignment']);
  });

  it('an extension needing approval is approved by bob and refused to alice', async () => {
    const active = await activeRequest(
      'payments-prod',
      'PowerUserAccess',
      'bob',
    );
    setNow(now + 20 * MINUTE);
    await sandbox.clearCalls();

    const asked = await api.post('alice', `/requests/${active.id}/extend`, {
      durationMinutes: 60,
      justification: 'The migration takes longer',
    });
    expect([asked.status, asked.body.status]).toEqual([202, 'pending']);
    expect((await detail(active.id)).endTime).toBe(active.endTime);

    const byAlice = await api.post(
      'alice',
      `/requests/${active.id}/extension/approve`,
      {},
    );
    expect([byAlice.status, byAlice.body.error?.message]).toEqual([
      403,
      'You cannot decide on your own extension',
    ]);
    const byBob = await api.post(
      'bob',
      `/requests/${active.id}/extension/approve`,
      {},
    );
    expect([byBob.status, byBob.body.status]).toEqual([200, 'approved']);
    const newEnd = Date.parse(active.grantedAt!) + 120 * MINUTE;
    expect((await detail(active.id)).endTime).toBe(
      new Date(newEnd).toISOString(),
    );

    setNow(Date.parse(active.endTime) + MINUTE);
    await api.runTask('lifecycle');
    expect(await assigned('payments-prod', 'PowerUserAccess')).toBe(1);
    expect(await sandbox.calls({ operations: ASSIGNMENT_WRITES })).toEqual([]);
    setNow(newEnd + MINUTE);
    await api.runTask('lifecycle');
    expect((await detail(active.id)).status).toBe('ended');
    expect(await assigned('payments-prod', 'PowerUserAccess')).toBe(0);
  });
});
