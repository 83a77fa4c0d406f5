import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * The permission resource type of an access request.
 *
 * @public
 */
export const ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE = 'elevated-access-request';

/**
 * A permission that applies to one access request.
 *
 * @public
 */
export type ElevatedAccessRequestPermission = ResourcePermission<
  typeof ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE
>;

/**
 * Create an access request. Eligibility is still checked by the plugin.
 *
 * @public
 */
export const elevatedAccessRequestCreatePermission = createPermission({
  name: 'elevated-access.request.create',
  attributes: { action: 'create' },
});

/**
 * Read an access request, its decisions, events and session activity.
 *
 * @public
 */
export const elevatedAccessRequestReadPermission = createPermission({
  name: 'elevated-access.request.read',
  attributes: { action: 'read' },
  resourceType: ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE,
});

/*
 * The two permissions that change a request have different actions on
 * purpose. Policies keyed on actions, such as the community RBAC plugin's
 * conditional policies, map an action to the first resource permission that
 * has it; with both on `update`, a condition could never reach revoke. So
 * approving is `update` and ending a request early (revoking a grant or
 * cancelling a pending request) is `delete`, and a policy can let requesters
 * end their own requests without letting them approve anything.
 */

/**
 * Approve or reject an access request (action `update`). The plugin still
 * refuses decisions on one's own request and by anyone outside the
 * request's approvers.
 *
 * @public
 */
export const elevatedAccessRequestApprovePermission = createPermission({
  name: 'elevated-access.request.approve',
  attributes: { action: 'update' },
  resourceType: ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE,
});

/**
 * End a request early (action `delete`): revoke approved or active access,
 * or cancel a pending request.
 *
 * @public
 */
export const elevatedAccessRequestRevokePermission = createPermission({
  name: 'elevated-access.request.revoke',
  attributes: { action: 'delete' },
  resourceType: ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE,
});

/**
 * Read every request and session log, and export them (auditors, admins).
 *
 * @public
 */
export const elevatedAccessAuditReadPermission = createPermission({
  name: 'elevated-access.audit.read',
  attributes: { action: 'read' },
});

/**
 * Manage eligibility policies, approver policies and settings (admins).
 *
 * @public
 */
export const elevatedAccessPolicyManagePermission = createPermission({
  name: 'elevated-access.policy.manage',
  attributes: { action: 'update' },
});

/**
 * See who holds elevated access to the AWS accounts of a catalog entity, on
 * its page (everyone, under the plugin's default policy).
 *
 * @public
 */
export const elevatedAccessHoldersReadPermission = createPermission({
  name: 'elevated-access.holders.read',
  attributes: { action: 'read' },
});

/**
 * Every permission of the plugin.
 *
 * @public
 */
export const elevatedAccessPermissions = [
  elevatedAccessRequestCreatePermission,
  elevatedAccessRequestReadPermission,
  elevatedAccessRequestApprovePermission,
  elevatedAccessRequestRevokePermission,
  elevatedAccessAuditReadPermission,
  elevatedAccessPolicyManagePermission,
  elevatedAccessHoldersReadPermission,
];

/**
 * The basic (non-resource) permissions of the plugin.
 *
 * @public
 */
export const elevatedAccessBasicPermissions = [
  elevatedAccessRequestCreatePermission,
  elevatedAccessAuditReadPermission,
  elevatedAccessPolicyManagePermission,
  elevatedAccessHoldersReadPermission,
];

/**
 * The permissions that apply to one access request.
 *
 * @public
 */
export const elevatedAccessRequestPermissions = [
  elevatedAccessRequestReadPermission,
  elevatedAccessRequestApprovePermission,
  elevatedAccessRequestRevokePermission,
];
