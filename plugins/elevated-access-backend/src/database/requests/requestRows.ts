import {
  RequestReview,
  RequestStatus,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Knex } from 'knex';
import { DbTime, parseJson, toBool, toIso } from '../util';
import { StoredRequest } from './types';

/** A row of `requests` as the database returns it. */
export interface RequestRow {
  id: string;
  requester_ref: string;
  account_id: string;
  account_name: string;
  permission_set_arn: string;
  permission_set_name: string;
  status: RequestStatus;
  start_time: DbTime;
  end_time: DbTime;
  duration_minutes: number;
  approved_duration_minutes: number | null;
  pending_extension_id: string | null;
  justification: string;
  ticket_id: string | null;
  approval_required: boolean | number;
  min_approvals: number;
  approvals: number;
  policy_ids: string;
  expires_at: DbTime | null;
  reminder_sent_at: DbTime | null;
  principal_id: string | null;
  principal_name: string | null;
  granted_at: DbTime | null;
  ended_at: DbTime | null;
  revoked_by: string | null;
  revoke_comment: string | null;
  error_reason: string | null;
  attempts: number;
  next_attempt_at: DbTime | null;
  activity_complete: boolean | number;
  activity_collected_until: DbTime | null;
  used: boolean | number | null;
  break_glass?: boolean | number;
  sensitive?: boolean | number;
  review_outcome?: RequestReview['outcome'] | null;
  reviewer_ref?: string | null;
  review_comment?: string | null;
  reviewed_at?: DbTime | null;
  review_reminded_at?: DbTime | null;
  version: number;
  created_at: DbTime;
  updated_at: DbTime;
}

export function toStored(
  row: RequestRow,
  approverRefs: string[],
): StoredRequest {
  const breakGlass = toBool(row.break_glass ?? false);
  const review: RequestReview | undefined =
    row.review_outcome && row.reviewer_ref
      ? {
          reviewerRef: row.reviewer_ref,
          outcome: row.review_outcome,
          comment: row.review_comment ?? undefined,
          createdAt: toIso(row.reviewed_at ?? null) ?? '',
        }
      : undefined;
  return {
    id: row.id,
    requesterRef: row.requester_ref,
    accountId: row.account_id,
    accountName: row.account_name,
    permissionSetArn: row.permission_set_arn,
    permissionSetName: row.permission_set_name,
    status: row.status,
    startTime: toIso(row.start_time),
    endTime: toIso(row.end_time),
    durationMinutes: row.duration_minutes,
    approvedDurationMinutes: row.approved_duration_minutes ?? undefined,
    pendingExtensionId: row.pending_extension_id ?? undefined,
    justification: row.justification,
    ticketId: row.ticket_id ?? undefined,
    approvalRequired: toBool(row.approval_required),
    minApprovals: row.min_approvals,
    approvals: row.approvals,
    approverRefs,
    policyIds: parseJson(row.policy_ids, []),
    expiresAt: toIso(row.expires_at),
    reminderSentAt: toIso(row.reminder_sent_at),
    principalId: row.principal_id ?? undefined,
    principalName: row.principal_name ?? undefined,
    grantedAt: toIso(row.granted_at),
    endedAt: toIso(row.ended_at),
    revokedBy: row.revoked_by ?? undefined,
    revokeComment: row.revoke_comment ?? undefined,
    errorReason: row.error_reason ?? undefined,
    attempts: row.attempts,
    nextAttemptAt: toIso(row.next_attempt_at),
    activityComplete: toBool(row.activity_complete),
    activityCollectedUntil: toIso(row.activity_collected_until),
    used:
      row.used === null || row.used === undefined
        ? undefined
        : toBool(row.used),
    breakGlass,
    ...(toBool(row.sensitive ?? false) && { sensitive: true }),
    awaitingReview: breakGlass && Boolean(row.granted_at) && !review,
    review,
    reviewRemindedAt: toIso(row.review_reminded_at ?? null),
    version: row.version,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

/** One request with its approver snapshot, read in `db` (a transaction too). */
export async function readRequest(
  db: Knex,
  id: string,
): Promise<StoredRequest | undefined> {
  const row: RequestRow | undefined = await db('requests')
    .where({ id })
    .first();
  if (!row) return undefined;
  const approvers = await db('request_approvers')
    .where({ request_id: id })
    .orderBy('approver_ref')
    .pluck('approver_ref');
  return toStored(row, approvers);
}

/** Rows as stored requests, with their approver snapshots (one query). */
export async function withApprovers(
  knex: Knex,
  rows: RequestRow[],
): Promise<StoredRequest[]> {
  if (!rows.length) return [];
  const approvers: Array<{ request_id: string; approver_ref: string }> =
    await knex('request_approvers')
      .whereIn(
        'request_id',
        rows.map(r => r.id),
      )
      .orderBy('approver_ref');
  const byRequest = new Map<string, string[]>();
  for (const a of approvers) {
    byRequest.set(a.request_id, [
      ...(byRequest.get(a.request_id) ?? []),
      a.approver_ref,
    ]);
  }
  return rows.map(r => toStored(r, byRequest.get(r.id) ?? []));
}
