import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  RequestDecision,
  RequestReview,
  shortEntityRef,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { tallyVote } from '../../domain/voteTally';
import { EventLog } from '../EventLog';
import { DbTime, insertUnique, toIso } from '../util';
import { readRequest, RequestRow } from './requestRows';
import { transitionIn } from './transitions';
import { StoredRequest, Vote } from './types';

/** The 409 for a second review: who reviewed it, and how. */
export function alreadyReviewed(r: Pick<StoredRequest, 'review'>): string {
  return r.review
    ? `Already reviewed by ${shortEntityRef(r.review.reviewerRef)}: ${
        r.review.outcome
      }`
    : 'It changed meanwhile, reload it';
}

/**
 * Approvers' votes (with the tally that approves or rejects) and the
 * reviews of break-glass requests.
 */
export class RequestDecisions {
  constructor(private readonly knex: Knex) {}

  async decisions(
    requestIds: string[],
  ): Promise<Map<string, RequestDecision[]>> {
    const out = new Map<string, RequestDecision[]>();
    if (!requestIds.length) return out;
    const rows = await this.knex('request_decisions')
      .whereIn('request_id', requestIds)
      .orderBy('created_at', 'asc');
    for (const row of rows) {
      out.set(row.request_id, [
        ...(out.get(row.request_id) ?? []),
        {
          approverRef: row.approver_ref,
          decision: row.decision,
          comment: row.comment ?? undefined,
          durationMinutes: row.duration_minutes ?? undefined,
          createdAt: toIso(row.created_at as DbTime),
        },
      ]);
    }
    return out;
  }

  /**
   * The vote, the counter, the status change and their events commit
   * together or not at all.
   */
  async recordDecision(input: Vote): Promise<StoredRequest> {
    await this.knex.transaction(async trx => {
      const row: RequestRow | undefined = await trx('requests')
        .where({ id: input.requestId })
        .first();
      if (!row) throw new NotFoundError('Request not found');
      if (row.status !== 'pending') {
        throw new ConflictError(
          `The request is ${row.status}; only pending requests can be decided`,
        );
      }
      await insertUnique(
        trx,
        'request_decisions',
        {
          id: randomUUID(),
          request_id: input.requestId,
          approver_ref: input.approverRef,
          decision: input.decision,
          comment: input.comment ?? null,
          duration_minutes: input.durationMinutes ?? null,
          created_at: input.now,
        },
        'You have already decided on this request',
      );
      // the last vote's shorter durations count too (already inserted above)
      const shortenedVotes =
        input.decision === 'approve' && row.approvals + 1 >= row.min_approvals
          ? (
              await trx('request_decisions')
                .where({ request_id: input.requestId, decision: 'approve' })
                .whereNotNull('duration_minutes')
                .pluck('duration_minutes')
            ).map(Number)
          : [];
      const outcome = tallyVote({
        decision: input.decision,
        comment: input.comment,
        durationMinutes: input.durationMinutes,
        request: {
          approvals: row.approvals,
          minApprovals: row.min_approvals,
          durationMinutes: row.duration_minutes,
          startTime: new Date(toIso(row.start_time)),
        },
        shortenedVotes,
      });
      if (outcome.kind === 'rejected') {
        await transitionIn(trx, {
          id: input.requestId,
          from: 'pending',
          to: 'rejected',
          action: 'reject',
          actorRef: input.approverRef,
          now: input.now,
          message: outcome.message,
        });
        return;
      }
      if (outcome.kind === 'approved') {
        // the count, the status change and the approved window are one update
        await transitionIn(
          trx,
          {
            id: input.requestId,
            from: 'pending',
            to: 'approved',
            action: 'approve',
            actorRef: input.approverRef,
            now: input.now,
            message: outcome.message,
          },
          {
            approvals: outcome.approvals,
            ...(outcome.approvedMinutes !== undefined && {
              approved_duration_minutes: outcome.approvedMinutes,
              end_time: outcome.endTime,
            }),
          },
        );
        return;
      }
      // a guarded increment: a concurrent vote or status change makes it miss
      const updated = await trx('requests')
        .where({
          id: input.requestId,
          status: 'pending',
          approvals: row.approvals,
        })
        .update({
          approvals: outcome.approvals,
          version: row.version + 1,
          updated_at: input.now,
        });
      if (updated !== 1) {
        throw new ConflictError('The request changed meanwhile; try again');
      }
      await EventLog.append(trx, {
        entityType: 'request',
        entityId: input.requestId,
        action: 'approve-vote',
        actorRef: input.approverRef,
        message: outcome.message,
        createdAt: input.now,
      });
    });
    return (await readRequest(this.knex, input.requestId))!;
  }

  /**
   * The update is guarded (`review_outcome IS NULL`), so of two reviewers at
   * once exactly one wins and the other gets a 409 naming the review that won.
   */
  async recordReview(input: {
    id: string;
    reviewerRef: string;
    outcome: RequestReview['outcome'];
    comment?: string;
    now: Date;
  }): Promise<StoredRequest> {
    await this.knex.transaction(async trx => {
      const updated = await trx('requests')
        .where({ id: input.id, break_glass: true })
        .whereNull('review_outcome')
        .update({
          review_outcome: input.outcome,
          reviewer_ref: input.reviewerRef,
          review_comment: input.comment ?? null,
          reviewed_at: input.now,
          version: trx.raw('version + 1'),
          updated_at: input.now,
        });
      if (updated !== 1) {
        const current = await readRequest(trx, input.id);
        if (!current) throw new NotFoundError('Request not found');
        throw new ConflictError(alreadyReviewed(current));
      }
      await EventLog.append(trx, {
        entityType: 'request',
        entityId: input.id,
        action: 'review',
        actorRef: input.reviewerRef,
        message: `Reviewed as ${input.outcome}${
          input.comment ? `: ${input.comment}` : ''
        }`,
        createdAt: input.now,
      });
    });
    return (await readRequest(this.knex, input.id))!;
  }
}
