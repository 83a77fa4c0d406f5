import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  AccessRequest,
  LifecycleAction,
  RequestReview,
  RequestStatus,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  ElevatedAccessRequestQuery,
  ElevatedAccessRequestResource,
} from '@elevated-access/backstage-plugin-elevated-access-node';
import { ApproverScope } from '../permissionFilter';

/**
 * A request as stored: the API's request without what the service adds per
 * caller (capabilities, the ticket link), plus what only the backend keeps.
 */
export interface StoredRequest
  extends Omit<AccessRequest, 'capabilities' | 'ticketUrl'> {
  policyIds: string[];
  reminderSentAt?: string;
  principalId?: string;
  principalName?: string;
  attempts: number;
  nextAttemptAt?: string;
  activityCollectedUntil?: string;
  /** When approvers and auditors were last reminded to review it. */
  reviewRemindedAt?: string;
  version: number;
}

export interface NewRequest {
  requesterRef: string;
  accountId: string;
  accountName: string;
  permissionSetArn: string;
  permissionSetName: string;
  status: 'pending' | 'approved';
  startTime: Date;
  endTime: Date;
  durationMinutes: number;
  justification: string;
  ticketId?: string;
  approvalRequired: boolean;
  minApprovals: number;
  approverRefs: string[];
  policyIds: string[];
  expiresAt?: Date;
  createdAt: Date;
  /** Break-glass: approved at once under this policy, reviewed afterwards. */
  breakGlass?: { policyName: string };
  /** The account was marked sensitive in the catalog. */
  sensitive?: boolean;
}

/** `review=` filter values: awaiting review, or reviewed with that outcome. */
export type ReviewFilter = 'awaiting' | RequestReview['outcome'];

export interface RequestListFilter {
  requesterRefs?: string[];
  /** Requests whose approver snapshot holds one of these refs. */
  approverRefs?: string[];
  excludeRequesterRef?: string;
  statuses?: RequestStatus[];
  accountId?: string;
  createdFrom?: Date;
  createdTo?: Date;
  /** Grants known used (true) or unused (false) from their activity. */
  used?: boolean;
  /** Break-glass requests only (true), or none (false). */
  breakGlass?: boolean;
  /** Break-glass awaiting review (access happened, no review), or reviewed so. */
  review?: ReviewFilter;
  /**
   * Break-glass that can be reviewed now: access over, activity complete,
   * not reviewed (the reviewer's badge).
   */
  reviewableNow?: boolean;
  /** A conditional permission decision, applied as SQL. */
  permission?: PermissionCriteria<ElevatedAccessRequestQuery>;
  /** Limits approver access to where the caller approves today. */
  approverScope?: ApproverScope;
  /**
   * An approver's history: the requests `callerRef` decided, and the final
   * requests that `approverRefs` approve (within `approverScope`).
   */
  approverHistory?: { callerRef: string; approverRefs: string[] };
  cursor?: string;
  limit: number;
}

/** A request list's filters without its paging (exports use every row). */
export type RequestFilter = Omit<RequestListFilter, 'cursor' | 'limit'>;

/**
 * Columns a transition may set besides the status. Only the store's
 * intention-named methods build these; callers never do.
 */
export interface RequestPatch {
  approvals?: number;
  principal_id?: string | null;
  principal_name?: string | null;
  granted_at?: Date | null;
  end_time?: Date;
  ended_at?: Date | null;
  revoked_by?: string | null;
  revoke_comment?: string | null;
  error_reason?: string | null;
  attempts?: number;
  next_attempt_at?: Date | null;
  claimed_by?: string | null;
  claimed_until?: Date | null;
  expires_at?: Date | null;
  activity_complete?: boolean;
  activity_collected_until?: Date | null;
  activity_claimed_by?: string | null;
  activity_claimed_until?: Date | null;
  revoke_alerted_at?: Date | null;
  approved_duration_minutes?: number | null;
}

/** A status change: who moves which request from what to what, and why. */
export interface Transition {
  id: string;
  from: RequestStatus;
  to: RequestStatus;
  action: LifecycleAction;
  actorRef: string;
  now: Date;
  message?: string;
}

/**
 * What the backend does on its own to one request it works on: the actor
 * (the system), when, and the event's message.
 */
export interface SystemChange {
  id: string;
  actorRef: string;
  now: Date;
  message: string;
}

/** One approver's vote on a pending request. */
export interface Vote {
  requestId: string;
  approverRef: string;
  decision: 'approve' | 'reject';
  comment?: string;
  /** An approval for less time than asked. */
  durationMinutes?: number;
  now: Date;
}

/** A lease on a request's provisioning work: who holds it, until when. */
export interface Lease {
  owner: string;
  until: Date;
}

/** Where a session's activity collection got to when its lease is given back. */
export interface ActivityProgress {
  collectedUntil: Date;
  complete: boolean;
  used?: boolean;
}

/** What permission rules see of a stored request. */
export function toResource(r: StoredRequest): ElevatedAccessRequestResource {
  return {
    id: r.id,
    requesterRef: r.requesterRef,
    accountId: r.accountId,
    permissionSetArn: r.permissionSetArn,
    status: r.status,
    approverRefs: r.approverRefs,
  };
}
