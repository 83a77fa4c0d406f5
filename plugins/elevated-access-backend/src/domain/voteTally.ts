import { formatMinutes } from '@elevated-access/backstage-plugin-elevated-access-common';
import { shortestApproval } from './approvers';

/** What one approver's vote does to a pending request. */
export type VoteOutcome =
  | { kind: 'rejected'; message: string }
  | {
      kind: 'approved';
      approvals: number;
      /** Set when approvers gave less time than asked: the shortest wins. */
      approvedMinutes?: number;
      /** The end that follows from `approvedMinutes`. */
      endTime?: Date;
      message: string;
    }
  | { kind: 'counted'; approvals: number; message: string };

/**
 * The approval threshold: one rejection rejects; approvals count until the
 * request's minimum is reached, and the vote that reaches it approves the
 * request for the shortest duration any approving vote gave (this one
 * included). Pure: the store persists what this decides.
 */
export function tallyVote(input: {
  decision: 'approve' | 'reject';
  comment?: string;
  /** This vote's shorter duration, if any. */
  durationMinutes?: number;
  request: {
    approvals: number;
    minApprovals: number;
    durationMinutes: number;
    startTime: Date;
  };
  /** The shorter durations of every approving vote so far, this one included. */
  shortenedVotes: number[];
}): VoteOutcome {
  const { decision, comment, durationMinutes, request } = input;
  const because = comment ? `: ${comment}` : '';
  if (decision === 'reject') {
    return { kind: 'rejected', message: `Rejected${because}` };
  }
  const approvals = request.approvals + 1;
  const shortened = durationMinutes
    ? ` for ${formatMinutes(durationMinutes)} (${formatMinutes(
        request.durationMinutes,
      )} asked)`
    : '';
  if (approvals < request.minApprovals) {
    return {
      kind: 'counted',
      approvals,
      message: `Approval ${approvals} of ${request.minApprovals}${shortened}${because}`,
    };
  }
  const approvedMinutes = shortestApproval(
    request.durationMinutes,
    input.shortenedVotes,
  );
  return {
    kind: 'approved',
    approvals,
    ...(approvedMinutes < request.durationMinutes && {
      approvedMinutes,
      endTime: new Date(request.startTime.getTime() + approvedMinutes * 60_000),
    }),
    message: `Approved${shortened}${because}`,
  };
}
