import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  createPermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  elevatedAccessAuditReadPermission,
  elevatedAccessPolicyManagePermission,
  elevatedAccessRequestApprovePermission,
  elevatedAccessRequestCreatePermission,
  elevatedAccessHoldersReadPermission,
  elevatedAccessRequestReadPermission,
  elevatedAccessRequestRevokePermission,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { decideElevatedAccessPermission } from './decideElevatedAccessPermission';
import { ElevatedAccessRequestResource } from '../permissions/resourceRef';
import { elevatedAccessRequestRules } from '../permissions/rules';

const roles = {
  admins: ['group:default/access-admins'],
  auditors: ['group:default/security-auditors'],
};
const user = (name: string, ...groups: string[]) => ({
  userEntityRef: `user:default/${name}`,
  ownershipEntityRefs: [
    `user:default/${name}`,
    ...groups.map(g => `group:default/${g}`),
  ],
});
const alice = user('alice', 'developers');
const bob = user('bob', 'platform-leads');
const carol = user('carol', 'security-auditors');
const dave = user('dave', 'access-admins');

const request: ElevatedAccessRequestResource = {
  id: 'r1',
  requesterRef: 'user:default/alice',
  accountId: '111122223333',
  permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
  status: 'pending',
  approverRefs: ['group:default/platform-leads', 'user:default/alice'],
};

const authorize = createConditionAuthorizer(
  Object.values(elevatedAccessRequestRules),
);

/** The effective answer for one request: resolves conditional decisions. */
function answer(
  permission: Parameters<
    typeof decideElevatedAccessPermission
  >[0]['permission'],
  who: ReturnType<typeof user> | undefined,
) {
  const decision = decideElevatedAccessPermission({ permission }, who, roles);
  if (!decision) return 'not-ours';
  if (decision.result === AuthorizeResult.CONDITIONAL) {
    return authorize(decision as ConditionalPolicyDecision, request)
      ? 'allow'
      : 'deny';
  }
  return decision.result === AuthorizeResult.ALLOW ? 'allow' : 'deny';
}

describe('decideElevatedAccessPermission', () => {
  it.each([
    // permission, alice (requester), bob (approver), carol (auditor), dave (admin), erin (other)
    [
      elevatedAccessRequestCreatePermission,
      'allow',
      'allow',
      'allow',
      'allow',
      'allow',
    ],
    [
      elevatedAccessHoldersReadPermission,
      'allow',
      'allow',
      'allow',
      'allow',
      'allow',
    ],
    [
      elevatedAccessAuditReadPermission,
      'deny',
      'deny',
      'allow',
      'allow',
      'deny',
    ],
    [
      elevatedAccessPolicyManagePermission,
      'deny',
      'deny',
      'deny',
      'allow',
      'deny',
    ],
    [
      elevatedAccessRequestReadPermission,
      'allow',
      'allow',
      'allow',
      'allow',
      'deny',
    ],
    // alice is in the approver snapshot but made the request: never her decision
    [
      elevatedAccessRequestApprovePermission,
      'deny',
      'allow',
      'deny',
      'allow',
      'deny',
    ],
    [
      elevatedAccessRequestRevokePermission,
      'allow',
      'allow',
      'deny',
      'allow',
      'deny',
    ],
  ])('%s', (permission, forAlice, forBob, forCarol, forDave, forErin) => {
    expect([
      answer(permission, alice),
      answer(permission, bob),
      answer(permission, carol),
      answer(permission, dave),
      answer(permission, user('erin', 'developers')),
    ]).toEqual([forAlice, forBob, forCarol, forDave, forErin]);
  });

  it('denies every plugin permission without a user', () => {
    expect(answer(elevatedAccessRequestCreatePermission, undefined)).toBe(
      'deny',
    );
  });

  it("leaves other plugins' permissions to the caller's policy", () => {
    const other = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
    });
    expect(
      decideElevatedAccessPermission({ permission: other }, alice, roles),
    ).toBeUndefined();
  });
});
