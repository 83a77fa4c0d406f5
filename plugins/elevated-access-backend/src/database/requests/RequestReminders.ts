import { Knex } from 'knex';
import { whereAwaitingReview } from './RequestQueries';
import { RequestRow, withApprovers } from './requestRows';
import { StoredRequest } from './types';

/** Not reminded to review within the last `everyMs`. */
function notRemindedWithin(q: Knex.QueryBuilder, now: Date, everyMs: number) {
  return q
    .whereNull('review_reminded_at')
    .orWhere('review_reminded_at', '<=', new Date(now.getTime() - everyMs));
}

/**
 * Undecided requests' deadlines and reminders, and break-glass review
 * reminders. Each reminder is claimed with a guarded update, so restarts
 * and a second replica send it once.
 */
export class RequestReminders {
  constructor(private readonly knex: Knex) {}

  async dueForExpiry(now: Date, limit: number): Promise<StoredRequest[]> {
    const rows: RequestRow[] = await this.knex('requests')
      .where('status', 'pending')
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .limit(limit);
    return withApprovers(this.knex, rows);
  }

  async dueForReminder(
    now: Date,
    withinMs: number,
    limit: number,
  ): Promise<StoredRequest[]> {
    const rows: RequestRow[] = await this.knex('requests')
      .where('status', 'pending')
      .whereNull('reminder_sent_at')
      .where('expires_at', '>', now)
      .where('expires_at', '<=', new Date(now.getTime() + withinMs))
      .orderBy('expires_at')
      .limit(limit);
    return withApprovers(this.knex, rows);
  }

  async markReminderSent(id: string, now: Date): Promise<boolean> {
    const updated = await this.knex('requests')
      .where({ id, status: 'pending' })
      .whereNull('reminder_sent_at')
      .update({ reminder_sent_at: now });
    return updated === 1;
  }

  async dueForReviewReminder(
    now: Date,
    everyMs: number,
    limit: number,
  ): Promise<StoredRequest[]> {
    const query = this.knex('requests');
    whereAwaitingReview(query);
    const rows: RequestRow[] = await query
      .where('requests.activity_complete', true)
      .where(q => notRemindedWithin(q, now, everyMs))
      .orderBy('created_at')
      .limit(limit);
    return withApprovers(this.knex, rows);
  }

  async claimReviewReminder(
    id: string,
    now: Date,
    everyMs: number,
  ): Promise<boolean> {
    const updated = await this.knex('requests')
      .where({ id, break_glass: true })
      .whereNull('review_outcome')
      .where(q => notRemindedWithin(q, now, everyMs))
      .update({ review_reminded_at: now });
    return updated === 1;
  }
}
