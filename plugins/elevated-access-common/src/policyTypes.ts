import type { AccountSummary, PermissionSetSummary } from './types';

/**
 * Who may request which (account, permission set) pairs, and on what terms.
 *
 * @public
 */
export interface EligibilityPolicy {
  id: string;
  name: string;
  /** User and group entity refs. */
  principals: string[];
  accounts: string[];
  /** OU ids (or the root id); accounts in nested OUs are included. */
  ous: string[];
  permissionSets: string[];
  maxDurationMinutes: number;
  approvalRequired: boolean;
  ticketRequired: boolean;
  /**
   * Break-glass allowed: requests may skip approval (ticket required, start
   * now, reviewed afterwards by an approver).
   */
  breakGlass: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

/**
 * Who approves requests for which accounts (and optionally permission sets).
 *
 * @public
 */
export interface ApproverPolicy {
  id: string;
  name: string;
  accounts: string[];
  ous: string[];
  /** Empty: every permission set. */
  permissionSets: string[];
  /**
   * User and group entity refs, and `owner` / `system-owner` for the owners
   * of the account's catalog entity and of its System (resolved when a
   * request is made, checked again when it is decided).
   */
  approvers: string[];
  minApprovals: number;
  /**
   * Approvals needed when the account is sensitive; absent: `minApprovals`.
   */
  sensitiveMinApprovals?: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

/**
 * The admin settings (no secrets: everyone may read them).
 *
 * @public
 */
export interface ElevatedAccessSettings {
  maxDurationMinutes: number;
  /** Off: no request needs approval. On: unless a matching policy waives it. */
  approvalRequired: boolean;
  /** Off: no request needs a ticket. On: unless a matching policy waives it. */
  ticketRequired: boolean;
  ticketPattern: string | null;
  /** A URL with `{ticket}` in it. */
  ticketLinkTemplate: string | null;
  /**
   * A ticket id requesters see as the example, e.g. `OPS-123` (it matches the
   * pattern); absent or null: none.
   */
  ticketExample?: string | null;
  commentRequiredOnReject: boolean;
  commentRequiredOnRevoke: boolean;
  pendingTimeoutMinutes: number;
  reminderBeforeExpiryMinutes: number;
  /**
   * Minutes before active access ends that the requester is told it ends
   * soon (with a link to extend it), 0 for never; not sent when the whole
   * window is shorter than twice this.
   */
  endsSoonMinutes: number;
}

/**
 * A saved policy with what the admin should know about it, e.g. pairs that
 * need approval but that no approver policy covers. Warnings never block a
 * save.
 *
 * @public
 */
export type SavedPolicy<T> = T & { warnings?: string[] };

/**
 * Settings with who changed them last.
 *
 * @public
 */
export interface SettingsResponse extends ElevatedAccessSettings {
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}

/**
 * The organisation tree and permission sets, for policy editors.
 *
 * @public
 */
export interface TargetsResponse {
  rootId: string;
  organizationalUnits: Array<{ id: string; name: string; parentId: string }>;
  accounts: Array<AccountSummary & { parentId: string }>;
  permissionSets: PermissionSetSummary[];
  fetchedAt: string;
}
