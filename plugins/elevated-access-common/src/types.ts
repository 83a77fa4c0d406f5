import type { EligibilityOption } from './terms';
import { RequestStatus } from './status';

/**
 * An organisational unit on an account's path from the root.
 *
 * @public
 */
export interface OuRef {
  id: string;
  name: string;
}

/**
 * An account as people pick it.
 *
 * @public
 */
export interface AccountSummary {
  id: string;
  name: string;
  /** OUs from the top level down to the account's own OU (the root is left out). */
  ouPath: OuRef[];
  /**
   * The account or one of its OUs is marked sensitive in the catalog
   * (`elevated-access/sensitive`); absent: not sensitive.
   */
  sensitive?: boolean;
}

/**
 * A permission set as people pick it.
 *
 * @public
 */
export interface PermissionSetSummary {
  arn: string;
  name: string;
  description?: string;
  /** ISO 8601 duration of one AWS session, e.g. `PT1H`. */
  sessionDuration?: string;
}

/**
 * One (account, permission set) pair the caller may request, with the rules
 * that apply to it.
 *
 * @public
 */
export interface EligiblePair {
  accountId: string;
  permissionSetArn: string;
  /**
   * The caller's options for this pair, least demanding first: each is the
   * terms of one policy (never a mix). Pick with `chooseEligibilityOption`.
   */
  options: EligibilityOption[];
  /** Summary: the longest cap among the options. */
  maxDurationMinutes: number;
  /** Summary: every option needs approval. */
  approvalRequired: boolean;
  /** Summary: every option needs a ticket. */
  ticketRequired: boolean;
  /** Who will decide (user and group refs); empty when no approval is needed. */
  approvers: string[];
  minApprovals: number;
  /**
   * How many people other than the caller can decide (groups expanded through
   * the catalog), when approval may be needed. Below `minApprovals`, a request
   * that needs approval is refused: nobody could approve it. Absent: unknown.
   */
  otherApprovers?: number;
  /**
   * Present when a policy allows break-glass for this pair to the caller:
   * access at once without approval, up to this cap, with a ticket; approvers
   * and auditors are told at once and an approver reviews it afterwards.
   */
  breakGlass?: {
    maxDurationMinutes: number;
    policyNames: string[];
  };
}

/**
 * Answer of `GET /eligibility`.
 *
 * @public
 */
export interface EligibilityResponse {
  accounts: AccountSummary[];
  permissionSets: PermissionSetSummary[];
  pairs: EligiblePair[];
}

/**
 * An account the caller may request, as the form's account picker lists it.
 *
 * @public
 */
export interface EligibleAccount extends AccountSummary {
  /** How many permission sets the caller may request on it. */
  permissionSetCount: number;
}

/**
 * Answer of `GET /eligibility/accounts`: the caller's eligible accounts that
 * match the search, best match first.
 *
 * @public
 */
export interface EligibleAccountsResponse {
  items: EligibleAccount[];
  /** How many eligible accounts match in all. */
  total: number;
  /** More match than `items` holds (the limit was reached). */
  truncated: boolean;
}

/**
 * An approver's vote.
 *
 * @public
 */
export interface RequestDecision {
  approverRef: string;
  decision: 'approve' | 'reject';
  comment?: string;
  /** An approval for less time than asked: the duration approved. */
  durationMinutes?: number;
  createdAt: string;
}

/**
 * What the caller may do with a request now, computed by the server with the
 * same checks the actions make.
 *
 * @public
 */
export interface RequestCapabilities {
  canApprove: boolean;
  canReject: boolean;
  canCancel: boolean;
  canRevoke: boolean;
  /**
   * The caller may review this break-glass request now: an approver in scope
   * other than the requester, access over and its activity complete, not
   * yet reviewed.
   */
  canReview: boolean;
}

/**
 * An approver's verdict on a break-glass request.
 *
 * @public
 */
export interface RequestReview {
  reviewerRef: string;
  outcome: 'appropriate' | 'inappropriate';
  comment?: string;
  createdAt: string;
}

/**
 * An access request.
 *
 * @public
 */
export interface AccessRequest {
  id: string;
  requesterRef: string;
  accountId: string;
  accountName: string;
  permissionSetArn: string;
  permissionSetName: string;
  status: RequestStatus;
  startTime: string;
  endTime: string;
  durationMinutes: number;
  /** Set when approvers shortened the request: the shortest duration they approved. */
  approvedDurationMinutes?: number;
  /** The extension awaiting approval, if any (see `GET /requests/:id/extension`). */
  pendingExtensionId?: string;
  justification: string;
  ticketId?: string;
  ticketUrl?: string;
  approvalRequired: boolean;
  minApprovals: number;
  /** The account was marked sensitive in the catalog when the request was made. */
  sensitive?: boolean;
  /** Approvers snapshotted at creation (user and group refs). */
  approverRefs: string[];
  approvals: number;
  /** When an undecided request expires. */
  expiresAt?: string;
  createdAt: string;
  updatedAt: string;
  grantedAt?: string;
  endedAt?: string;
  /** Who ended access early, and why. */
  revokedBy?: string;
  revokeComment?: string;
  /** Why provisioning failed, as the target reported it. */
  errorReason?: string;
  /** Whether session activity collection is final. */
  activityComplete: boolean;
  /**
   * Whether the grant was used: set once its activity is complete, true when
   * the session made at least one event other than sign-in noise (console
   * sign-in, `sts:GetCallerIdentity`). Absent while unknown.
   */
  used?: boolean;
  /** Who has decided the request so far, oldest first. */
  decidedBy?: Array<
    Pick<RequestDecision, 'approverRef' | 'decision' | 'createdAt'>
  >;
  /** Break-glass: approved at once under a policy allowing it, reviewed afterwards. */
  breakGlass: boolean;
  /**
   * Break-glass whose access happened and that nobody has reviewed yet
   * (reviewable once the activity is complete).
   */
  awaitingReview: boolean;
  /** The review of a break-glass request, once done. */
  review?: RequestReview;
  capabilities: RequestCapabilities;
}

/**
 * One entry of the append-only audit trail.
 *
 * @public
 */
export interface AuditEvent {
  id: string;
  entityType: 'request' | 'eligibility-policy' | 'approver-policy' | 'settings';
  entityId: string;
  action: string;
  actorRef: string;
  fromStatus?: RequestStatus;
  toStatus?: RequestStatus;
  message?: string;
  before?: unknown;
  after?: unknown;
  createdAt: string;
}

/**
 * A request with its decisions and its full event history.
 *
 * @public
 */
export interface AccessRequestDetail extends AccessRequest {
  decisions: RequestDecision[];
  events: AuditEvent[];
}

/**
 * A page of a list; pass `nextCursor` back as `cursor` for the next one.
 *
 * @public
 */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * Answer of `GET /me`: the caller's standing in the plugin.
 *
 * @public
 */
export interface MeResponse {
  userEntityRef: string;
  /** Some approver policy names the caller or one of their groups. */
  isApprover: boolean;
  /** Pending requests the caller may decide and has not voted on. */
  pendingApprovals: number;
  /** Break-glass requests the caller may review now. */
  pendingReviews: number;
  canAudit: boolean;
  canManagePolicies: boolean;
  /**
   * The caller may create requests and is eligible for at least one
   * (account, permission set) pair: otherwise the request form is not offered.
   */
  canRequest: boolean;
}

/**
 * Elevated access someone holds (or will hold) on an account, as an entity
 * card shows it.
 *
 * @public
 */
export interface EntityAccessGrant {
  accountId: string;
  accountName: string;
  permissionSetName: string;
  requesterRef: string;
  /** `active`, or `approved`/`granting` for access that starts later. */
  status: RequestStatus;
  startTime: string;
  endTime: string;
  breakGlass: boolean;
}

/**
 * Answer of `GET /entity-access?entityRef=`: the AWS accounts an entity is
 * about, who holds elevated access to them now or soon, and what the caller
 * may request on them.
 *
 * @public
 */
export interface EntityAccessResponse {
  entityRef: string;
  /** Accounts of the entity the organisation knows, by name. */
  accounts: AccountSummary[];
  /** Account ids the entity names that the organisation does not have. */
  unknownAccountIds: string[];
  /** Current and upcoming grants on those accounts, soonest end first. */
  grants: EntityAccessGrant[];
  /** The caller's eligible pairs on those accounts. */
  pairs: EligiblePair[];
  permissionSets: PermissionSetSummary[];
}
