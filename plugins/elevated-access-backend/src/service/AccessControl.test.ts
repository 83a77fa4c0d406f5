import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
  QueryPermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE,
  elevatedAccessAuditReadPermission,
  elevatedAccessPolicyManagePermission,
  elevatedAccessRequestApprovePermission,
  elevatedAccessRequestReadPermission,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { AccessControl } from './AccessControl';

/**
 * A permission evaluator that answers by permission name, as a policy does,
 * and records each call it gets: the batching is what is under test.
 */
function recordingPermissions(
  answer: (name: string) => PolicyDecision,
  fail?: Error,
) {
  const calls: string[][] = [];
  const permissions = {
    async authorize() {
      throw new Error('every check goes through authorizeConditional');
    },
    async authorizeConditional(queries: QueryPermissionRequest[]) {
      calls.push(queries.map(q => q.permission.name));
      if (fail) throw fail;
      return queries.map(q => answer(q.permission.name));
    },
  } as unknown as PermissionsService;
  return { permissions, calls };
}

const policy = (name: string): PolicyDecision => {
  if (name === elevatedAccessRequestApprovePermission.name) {
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'elevated-access',
      resourceType: ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE,
      conditions: {
        rule: 'IS_APPROVER',
        resourceType: ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE,
        params: { claims: ['group:default/platform-leads'] },
      },
    };
  }
  return {
    result:
      name === elevatedAccessAuditReadPermission.name
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
  };
};

function accessControl(permissions: PermissionsService) {
  return new AccessControl(
    mockServices.httpAuth(),
    mockServices.userInfo(),
    permissions,
  );
}

describe('AccessControl', () => {
  const bob = mockCredentials.user('user:default/bob');

  it('sends the checks one caller starts together as one batch, each with its own answer', async () => {
    const { permissions, calls } = recordingPermissions(policy);
    const access = accessControl(permissions);
    const [read, approve, audit, manage] = await Promise.all([
      access.requestDecision(elevatedAccessRequestReadPermission, bob),
      access.requestDecision(elevatedAccessRequestApprovePermission, bob),
      access.allows(elevatedAccessAuditReadPermission, bob),
      access.allows(elevatedAccessPolicyManagePermission, bob),
    ]);
    expect(calls).toEqual([
      [
        elevatedAccessRequestReadPermission.name,
        elevatedAccessRequestApprovePermission.name,
        elevatedAccessAuditReadPermission.name,
        elevatedAccessPolicyManagePermission.name,
      ],
    ]);
    expect(read.filter).toBe('deny');
    // the conditional answer became the approver rule's SQL-able filter
    expect(approve.filter).toEqual({
      property: 'approverRef',
      values: ['group:default/platform-leads'],
    });
    expect(audit).toBe(true);
    expect(manage).toBe(false);
  });

  it('keeps callers apart; a later check is a new call, but one request asks for a permission once', async () => {
    const { permissions, calls } = recordingPermissions(policy);
    const access = accessControl(permissions);
    const alice = mockCredentials.user('user:default/alice');
    await Promise.all([
      access.allows(elevatedAccessAuditReadPermission, bob),
      access.allows(elevatedAccessAuditReadPermission, alice),
    ]);
    expect(calls).toHaveLength(2);
    await access.allows(elevatedAccessPolicyManagePermission, bob);
    expect(calls).toHaveLength(3);
    // the same credentials (one HTTP request) asking again: the kept answer
    expect(await access.allows(elevatedAccessPolicyManagePermission, bob)).toBe(
      false,
    );
    expect(await access.allows(elevatedAccessAuditReadPermission, bob)).toBe(
      true,
    );
    expect(calls).toHaveLength(3);
    // the next request has credentials of its own, and is asked anew
    const bobNextRequest = mockCredentials.user('user:default/bob');
    await access.allows(elevatedAccessPolicyManagePermission, bobNextRequest);
    expect(calls).toHaveLength(4);
  });

  it('sends what a view prefetches as one call, and its checks in later steps take those answers', async () => {
    const { permissions, calls } = recordingPermissions(policy);
    const access = accessControl(permissions);
    access.prefetch(
      [
        elevatedAccessAuditReadPermission,
        elevatedAccessRequestReadPermission,
        elevatedAccessRequestApprovePermission,
        elevatedAccessPolicyManagePermission,
      ],
      bob,
    );
    expect(await access.allows(elevatedAccessAuditReadPermission, bob)).toBe(
      true,
    );
    const read = await access.requestDecision(
      elevatedAccessRequestReadPermission,
      bob,
    );
    expect(read.filter).toBe('deny');
    const approve = await access.requestDecision(
      elevatedAccessRequestApprovePermission,
      bob,
    );
    expect(approve.filter).toEqual({
      property: 'approverRef',
      values: ['group:default/platform-leads'],
    });
    expect(await access.allows(elevatedAccessPolicyManagePermission, bob)).toBe(
      false,
    );
    expect(calls).toEqual([
      [
        elevatedAccessAuditReadPermission.name,
        elevatedAccessRequestReadPermission.name,
        elevatedAccessRequestApprovePermission.name,
        elevatedAccessPolicyManagePermission.name,
      ],
    ]);
  });

  it('reports a failed prefetch to the check that asks, not before', async () => {
    const { permissions } = recordingPermissions(
      policy,
      new Error('permission backend unavailable'),
    );
    const access = accessControl(permissions);
    access.prefetch([elevatedAccessAuditReadPermission], bob);
    await new Promise(resolve => setTimeout(resolve, 0));
    await expect(
      access.require(elevatedAccessAuditReadPermission, bob, 'no'),
    ).rejects.toThrow('permission backend unavailable');
  });

  it('refuses every check of a batch whose call failed', async () => {
    const { permissions } = recordingPermissions(
      policy,
      new Error('permission backend unavailable'),
    );
    const access = accessControl(permissions);
    const results = await Promise.allSettled([
      access.allows(elevatedAccessAuditReadPermission, bob),
      access.requestDecision(elevatedAccessRequestReadPermission, bob),
    ]);
    expect(results.map(r => r.status)).toEqual(['rejected', 'rejected']);
    await expect(
      access.require(elevatedAccessAuditReadPermission, bob, 'no'),
    ).rejects.toThrow('permission backend unavailable');
  });

  it('asks once more when the connection to the permission backend was dropped, and only once', async () => {
    const calls: string[][] = [];
    let resets = 1;
    const dropped = () =>
      Object.assign(
        new Error(
          'request to http://localhost/api/permission/authorize failed, reason: read ECONNRESET',
        ),
        { code: 'ECONNRESET' },
      );
    const permissions = {
      async authorizeConditional(queries: QueryPermissionRequest[]) {
        calls.push(queries.map(q => q.permission.name));
        if (resets-- > 0) throw dropped();
        return queries.map(q => policy(q.permission.name));
      },
    } as unknown as PermissionsService;
    const access = accessControl(permissions);
    expect(await access.allows(elevatedAccessAuditReadPermission, bob)).toBe(
      true,
    );
    expect(calls).toHaveLength(2);

    // dropped twice: the second failure is the answer
    resets = 2;
    await expect(
      access.allows(
        elevatedAccessAuditReadPermission,
        mockCredentials.user('user:default/bob'),
      ),
    ).rejects.toThrow('ECONNRESET');
    expect(calls).toHaveLength(4);
  });

  it('does not ask again when the permission backend answered with an error', async () => {
    const { permissions, calls } = recordingPermissions(
      policy,
      new Error('permission backend unavailable'),
    );
    const access = accessControl(permissions);
    await expect(
      access.allows(elevatedAccessAuditReadPermission, bob),
    ).rejects.toThrow('permission backend unavailable');
    expect(calls).toHaveLength(1);
  });
});
