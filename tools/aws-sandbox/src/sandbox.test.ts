import {
  CloudTrailClient,
  LookupEventsCommand,
  paginateLookupEvents,
} from '@aws-sdk/client-cloudtrail';
import {
  IdentitystoreClient,
  GetUserIdCommand,
} from '@aws-sdk/client-identitystore';
import {
  OrganizationsClient,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  paginateListAccountsForParent,
} from '@aws-sdk/client-organizations';
import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { RunningSandbox, startSandbox } from './sandbox';

jest.setTimeout(60_000);

describe('AWS sandbox over the wire', () => {
  let sandbox: RunningSandbox;
  let sso: SSOAdminClient;

  beforeAll(async () => {
    sandbox = await startSandbox();
    sso = new SSOAdminClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });
  afterEach(async () => {
    await sandbox.clearFaults();
  });

  const assignment = () => ({
    InstanceArn: sandbox.seed!.instanceArn,
    TargetId: sandbox.seed!.accounts['payments-prod'],
    TargetType: 'AWS_ACCOUNT' as const,
    PermissionSetArn: sandbox.seed!.permissionSets.PowerUserAccess,
    PrincipalType: 'USER' as const,
    PrincipalId: sandbox.seed!.users.alice,
  });
  /** Identity Center's description of assignment creation `requestId`. */
  const creationStatus = (requestId: string | undefined) =>
    sso.send(
      new DescribeAccountAssignmentCreationStatusCommand({
        InstanceArn: assignment().InstanceArn,
        AccountAssignmentCreationRequestId: requestId,
      }),
    );
  /** The assignments of assignment()'s permission set in its account. */
  const listAssignments = () =>
    sso.send(
      new ListAccountAssignmentsCommand({
        InstanceArn: assignment().InstanceArn,
        AccountId: assignment().TargetId,
        PermissionSetArn: assignment().PermissionSetArn,
      }),
    );

  it('seeds the demo organisation, permission sets and users', async () => {
    const seed = sandbox.seed!;
    expect(Object.keys(seed.accounts).sort()).toEqual(
      [
        'audit',
        'data-dev',
        'data-prod',
        'master',
        'payments-dev',
        'payments-prod',
      ].sort(),
    );
    const org = new OrganizationsClient(sandbox.clientConfig());
    const underWorkloads = await org.send(
      new ListOrganizationalUnitsForParentCommand({
        ParentId: seed.ous.Workloads,
      }),
    );
    expect(underWorkloads.OrganizationalUnits?.map(o => o.Name).sort()).toEqual(
      ['Development', 'Production'],
    );
    const inProduction = await org.send(
      new ListAccountsForParentCommand({ ParentId: seed.ous.Production }),
    );
    expect(inProduction.Accounts?.map(a => a.Name).sort()).toEqual([
      'data-prod',
      'payments-prod',
    ]);
    const ps = await sso.send(
      new DescribePermissionSetCommand({
        InstanceArn: seed.instanceArn,
        PermissionSetArn: seed.permissionSets.ReadOnlyAccess,
      }),
    );
    expect(ps.PermissionSet?.SessionDuration).toBe('PT1H');
    // the ARN has the shape real Identity Center gives it
    expect(seed.permissionSets.ReadOnlyAccess).toMatch(
      /^arn:aws:sso:::permissionSet\/ssoins-[0-9a-z]{16}\/ps-[0-9a-z]{16}$/,
    );
    const ids = new IdentitystoreClient(sandbox.clientConfig());
    const bob = await ids.send(
      new GetUserIdCommand({
        IdentityStoreId: seed.identityStoreId,
        AlternateIdentifier: {
          UniqueAttribute: {
            AttributePath: 'emails.value',
            AttributeValue: 'bob@example.com',
          },
        },
      }),
    );
    expect(bob.UserId).toBe(seed.users.bob);
  });

  it('seeds idempotently, with the same ids after a reset', async () => {
    const again = await sandbox.seedDemo();
    expect(again).toEqual(sandbox.seed);
    await sandbox.reset();
    const fresh = await sandbox.seedDemo();
    expect(fresh.accounts).toEqual(sandbox.seed!.accounts);
    expect(fresh.permissionSets).toEqual(sandbox.seed!.permissionSets);
    expect(fresh.instanceArn).toBe(sandbox.seed!.instanceArn);
  });

  it('keeps one assignment per principal, account and permission set', async () => {
    const first = await sso.send(
      new CreateAccountAssignmentCommand(assignment()),
    );
    const second = await sso.send(
      new CreateAccountAssignmentCommand(assignment()),
    );
    expect(first.AccountAssignmentCreationStatus?.RequestId).not.toBe(
      second.AccountAssignmentCreationStatus?.RequestId,
    );
    const listed = await listAssignments();
    expect(listed.AccountAssignments).toHaveLength(1);

    const deletion = await sso.send(
      new DeleteAccountAssignmentCommand(assignment()),
    );
    const deletionStatus = await sso.send(
      new DescribeAccountAssignmentDeletionStatusCommand({
        InstanceArn: assignment().InstanceArn,
        AccountAssignmentDeletionRequestId:
          deletion.AccountAssignmentDeletionStatus!.RequestId,
      }),
    );
    expect(deletionStatus.AccountAssignmentDeletionStatus?.Status).toBe(
      'SUCCEEDED',
    );
    // the creation status stays describable after the assignment is gone
    const firstCreation = await creationStatus(
      first.AccountAssignmentCreationStatus!.RequestId,
    );
    expect(firstCreation.AccountAssignmentCreationStatus?.Status).toBe(
      'SUCCEEDED',
    );
    await expect(
      sso.send(new DeleteAccountAssignmentCommand(assignment())),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('reports IN_PROGRESS for the configured number of polls', async () => {
    await sandbox.setFaults({ inProgressPolls: 2 });
    const created = await sso.send(
      new CreateAccountAssignmentCommand(assignment()),
    );
    expect(created.AccountAssignmentCreationStatus?.Status).toBe('IN_PROGRESS');
    const statuses: string[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await creationStatus(
        created.AccountAssignmentCreationStatus!.RequestId,
      );
      statuses.push(s.AccountAssignmentCreationStatus!.Status!);
    }
    expect(statuses).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'SUCCEEDED']);
    await sandbox.clearFaults();
    await sso.send(new DeleteAccountAssignmentCommand(assignment()));
  });

  it('fails assignments with a reason and creates nothing', async () => {
    await sandbox.setFaults({
      failCreationReason: 'Quota of IAM roles reached',
    });
    const created = await sso.send(
      new CreateAccountAssignmentCommand(assignment()),
    );
    expect(created.AccountAssignmentCreationStatus).toMatchObject({
      Status: 'FAILED',
      FailureReason: 'Quota of IAM roles reached',
    });
    const listed = await listAssignments();
    expect(listed.AccountAssignments).toHaveLength(0);
  });

  it('throttles a share of calls and records every call', async () => {
    await sandbox.clearCalls();
    await sandbox.setFaults({
      throttleRate: 0.5,
      operations: ['ListInstances'],
    });
    const outcomes: string[] = [];
    for (let i = 0; i < 60; i++) {
      outcomes.push(
        await sso.send(new ListInstancesCommand({})).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      );
    }
    const throttled = outcomes.filter(o => o === 'ThrottlingException').length;
    expect(throttled + outcomes.filter(o => o === 'ok').length).toBe(60);
    // 60 draws at p = 0.5: outside [10, 50] has probability below 1e-7
    expect(throttled).toBeGreaterThan(10);
    expect(throttled).toBeLessThan(50);
    const calls = await sandbox.calls({ operations: ['ListInstances'] });
    expect(calls).toHaveLength(60);
    expect(calls.filter(c => c.error === 'ThrottlingException')).toHaveLength(
      throttled,
    );
  });

  it('enforces the Identity Center call rate', async () => {
    await sandbox.setFaults({ identityCenterCallsPerSecond: 5 });
    const results = await Promise.allSettled(
      Array.from({ length: 15 }, () => creationStatus('no-such-request')),
    );
    const names = results.map(r =>
      r.status === 'rejected' ? (r.reason as Error).name : 'ok',
    );
    // a bucket of 5 lets at most 5 (plus refill) through a burst of 15
    expect(
      names.filter(n => n === 'ThrottlingException').length,
    ).toBeGreaterThanOrEqual(8);
    expect(
      names.filter(n => n === 'ResourceNotFoundException').length,
    ).toBeGreaterThanOrEqual(1);
  });

  it('enforces an Organizations rate per API operation with TooManyRequestsException', async () => {
    await sandbox.setFaults({
      organizationsCallsPerSecond: 2,
      organizationsBurst: 4,
    });
    await sandbox.clearCalls();
    const org = new OrganizationsClient({
      ...sandbox.clientConfig(),
      maxAttempts: 1,
    });
    const burst = (send: () => Promise<unknown>) =>
      Promise.allSettled(Array.from({ length: 12 }, send)).then(results =>
        results.map(r =>
          r.status === 'rejected'
            ? {
                name: (r.reason as any).name,
                status: (r.reason as any).$metadata?.httpStatusCode,
              }
            : { name: 'ok', status: 200 },
        ),
      );
    const roots = await burst(() => org.send(new ListRootsCommand({})));
    // a bucket of 4 refilling at 2/s lets 4 (plus a refill or two) through 12
    const passed = roots.filter(r => r.name === 'ok').length;
    expect(passed).toBeGreaterThanOrEqual(4);
    expect(passed).toBeLessThanOrEqual(6);
    expect(roots.filter(r => r.name !== 'ok')).toEqual(
      Array(12 - passed).fill({
        name: 'TooManyRequestsException',
        status: 400,
      }),
    );
    // each operation has its own bucket: another one still gets its burst
    const other = await burst(() =>
      org.send(
        new ListAccountsForParentCommand({ ParentId: sandbox.seed!.rootId }),
      ),
    );
    expect(other.filter(r => r.name === 'ok').length).toBeGreaterThanOrEqual(4);
    const recorded = await sandbox.calls({ operations: ['ListRoots'] });
    expect(
      recorded.filter(c => c.error === 'TooManyRequestsException'),
    ).toHaveLength(12 - passed);

    // off again: nothing is throttled
    await sandbox.clearFaults();
    expect(
      (await burst(() => org.send(new ListRootsCommand({})))).every(
        r => r.name === 'ok',
      ),
    ).toBe(true);
  });

  it('lets the SDK retry strategy ride out Organizations throttling', async () => {
    await sandbox.setFaults({
      organizationsCallsPerSecond: 5,
      organizationsBurst: 1,
    });
    await sandbox.clearCalls();
    // the SDK's standard retry classifies TooManyRequestsException as throttling
    const org = new OrganizationsClient({
      ...sandbox.clientConfig(),
      maxAttempts: 10,
    });
    const results = await Promise.all(
      Array.from({ length: 4 }, () => org.send(new ListRootsCommand({}))),
    );
    expect(results.map(r => r.Roots?.[0]?.Id)).toEqual(
      Array(4).fill(sandbox.seed!.rootId),
    );
    const calls = await sandbox.calls({ operations: ['ListRoots'] });
    expect(
      calls.filter(c => c.error === 'TooManyRequestsException').length,
    ).toBeGreaterThan(0);
    expect(calls.filter(c => c.status === 200)).toHaveLength(4);
  });

  it('bulk-seeds nested OUs and accounts that the Organizations API lists', async () => {
    const bulk = await sandbox.bulkOrganization({
      organizationalUnits: [
        { name: 'Bulk', parent: 'root' },
        { name: 'Bulk-child', parent: '#0' },
        { name: 'Bulk-under-security', parent: sandbox.seed!.ous.Security },
      ],
      accounts: Array.from({ length: 25 }, (_, i) => ({
        name: `bulk-${i}`,
        parent: i < 23 ? '#1' : '#2',
      })),
    });
    expect(bulk.rootId).toBe(sandbox.seed!.rootId);
    expect(bulk.organizationalUnitIds).toHaveLength(3);
    const org = new OrganizationsClient(sandbox.clientConfig());
    const child = await org.send(
      new ListOrganizationalUnitsForParentCommand({
        ParentId: bulk.organizationalUnitIds[0],
      }),
    );
    expect(child.OrganizationalUnits?.map(o => o.Id)).toEqual([
      bulk.organizationalUnitIds[1],
    ]);
    const names: string[] = [];
    for await (const page of paginateListAccountsForParent(
      { client: org, pageSize: 20 },
      { ParentId: bulk.organizationalUnitIds[1] },
    )) {
      names.push(...page.Accounts!.map(a => a.Name!));
    }
    expect(names.sort()).toEqual(
      Array.from({ length: 23 }, (_, i) => `bulk-${i}`).sort(),
    );
    await expect(
      sandbox.bulkOrganization({
        accounts: [{ name: 'lost', parent: 'ou-none-00000000' }],
      }),
    ).rejects.toThrow(/parent ou-none-00000000 does not exist/);
  });

  it('serves seeded CloudTrail events per account through an assumed role', async () => {
    const seed = sandbox.seed!;
    const account = seed.accounts['data-prod'];
    const now = Date.now() / 1000;
    const stored = await sandbox.putCloudTrailEvents(
      account,
      Array.from({ length: 120 }, (_, i) => ({
        EventId: `evt-${i}`,
        EventName: i % 2 ? 'GetObject' : 'ListBuckets',
        EventSource: 's3.amazonaws.com',
        EventTime: now - i,
        Username: i < 100 ? 'alice' : 'bob',
      })),
    );
    expect(stored).toBe(120);
    // a second put of the same ids stores nothing
    expect(
      await sandbox.putCloudTrailEvents(account, [
        { EventId: 'evt-0', EventName: 'X', EventSource: 's3.amazonaws.com' },
      ]),
    ).toBe(0);

    const sts = new STSClient(sandbox.clientConfig());
    const role = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/ElevatedAccessActivityReader`,
        RoleSessionName: 'elevated-access',
      }),
    );
    const cloudtrail = new CloudTrailClient({
      ...sandbox.clientConfig(),
      credentials: {
        accessKeyId: role.Credentials!.AccessKeyId!,
        secretAccessKey: role.Credentials!.SecretAccessKey!,
        sessionToken: role.Credentials!.SessionToken!,
      },
    });
    const ids: string[] = [];
    for await (const page of paginateLookupEvents(
      { client: cloudtrail, pageSize: 50 },
      {
        LookupAttributes: [
          { AttributeKey: 'Username', AttributeValue: 'alice' },
        ],
        StartTime: new Date((now - 1000) * 1000),
        EndTime: new Date((now + 10) * 1000),
      },
    )) {
      ids.push(...page.Events!.map(e => e.EventId!));
    }
    expect(ids).toHaveLength(100);
    expect(ids[0]).toBe('evt-0'); // newest first

    // the management account sees none of them
    const mgmt = new CloudTrailClient(sandbox.clientConfig());
    const mine = await mgmt.send(
      new LookupEventsCommand({
        LookupAttributes: [
          { AttributeKey: 'Username', AttributeValue: 'alice' },
        ],
      }),
    );
    expect(mine.Events).toHaveLength(0);
  });
});
