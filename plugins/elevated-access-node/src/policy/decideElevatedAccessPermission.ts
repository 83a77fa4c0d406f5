import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PolicyQuery } from '@backstage/plugin-permission-node';
import {
  elevatedAccessAuditReadPermission,
  elevatedAccessHoldersReadPermission,
  elevatedAccessPermissions,
  elevatedAccessPolicyManagePermission,
  elevatedAccessRequestApprovePermission,
  elevatedAccessRequestCreatePermission,
  elevatedAccessRequestReadPermission,
  elevatedAccessRequestRevokePermission,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  createElevatedAccessRequestConditionalDecision,
  elevatedAccessRequestConditions as conditions,
} from '../permissions/conditionExports';

/**
 * Catalog entity refs (groups or users) that hold the plugin's two privileged
 * roles; read from `elevatedAccess.roles` by the bundled policy module.
 *
 * @public
 */
export interface ElevatedAccessRoles {
  admins: string[];
  auditors: string[];
}

/**
 * The caller as a permission policy sees them.
 *
 * @public
 */
export interface ElevatedAccessPolicyUser {
  userEntityRef: string;
  /** The user's own ref plus the groups they belong to. */
  ownershipEntityRefs: string[];
}

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * Tells whether a permission belongs to Elevated Access.
 *
 * @public
 */
export function isElevatedAccessPermission(query: PolicyQuery): boolean {
  return elevatedAccessPermissions.some(p => isPermission(query.permission, p));
}

/**
 * The role mapping of Elevated Access, for composing into an existing
 * permission policy: returns the decision for the plugin's permissions and
 * `undefined` for anyone else's, so the caller's own policy decides those.
 *
 * - admins: every permission;
 * - auditors: read every request and the audit views;
 * - every user: create requests (the plugin then checks eligibility), read
 *   their own requests and those they approve, decide requests they approve
 *   but did not make, revoke their own access or access they approve.
 *
 * The plugin enforces its own rules after this (no self-approval, approver
 * scope, eligibility, legal transitions), so an allow here never lets anyone
 * break them.
 *
 * @public
 */
export function decideElevatedAccessPermission(
  query: PolicyQuery,
  user: ElevatedAccessPolicyUser | undefined,
  roles: ElevatedAccessRoles,
): PolicyDecision | undefined {
  const { permission } = query;
  if (!isElevatedAccessPermission(query)) {
    return undefined;
  }
  if (!user) {
    return DENY;
  }
  // refs compare case-insensitively, as the catalog treats them
  const owned = new Set(
    user.ownershipEntityRefs.map(ref => ref.toLocaleLowerCase('en-US')),
  );
  const holds = (refs: string[]) =>
    refs.some(ref => owned.has(ref.toLocaleLowerCase('en-US')));
  const isAdmin = holds(roles.admins);
  const isAuditor = holds(roles.auditors);
  if (isAdmin) {
    return ALLOW;
  }
  const self = conditions.isRequester({ claims: [user.userEntityRef] });
  const approves = conditions.isApprover({
    claims: user.ownershipEntityRefs,
  });

  if (
    isPermission(permission, elevatedAccessRequestCreatePermission) ||
    // who holds access to an entity's accounts: open, like the catalog page
    isPermission(permission, elevatedAccessHoldersReadPermission)
  ) {
    return ALLOW;
  }
  if (isPermission(permission, elevatedAccessAuditReadPermission)) {
    return isAuditor ? ALLOW : DENY;
  }
  if (isPermission(permission, elevatedAccessPolicyManagePermission)) {
    return DENY;
  }
  if (isPermission(permission, elevatedAccessRequestReadPermission)) {
    return isAuditor
      ? ALLOW
      : createElevatedAccessRequestConditionalDecision(permission, {
          anyOf: [self, approves],
        });
  }
  if (isPermission(permission, elevatedAccessRequestApprovePermission)) {
    return createElevatedAccessRequestConditionalDecision(permission, {
      allOf: [approves, { not: self }],
    });
  }
  if (isPermission(permission, elevatedAccessRequestRevokePermission)) {
    return createElevatedAccessRequestConditionalDecision(permission, {
      anyOf: [self, approves],
    });
  }
  return DENY;
}
