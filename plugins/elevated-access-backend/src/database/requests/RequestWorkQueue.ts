import { RequestStatus } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Knex } from 'knex';
import { DbTime, leaseFree, toDate } from '../util';
import { RequestRow, withApprovers } from './requestRows';
import { tryTransition } from './transitions';
import {
  Lease,
  RequestPatch,
  StoredRequest,
  SystemChange,
  Transition,
} from './types';

/** Columns that give a lease back. */
const UNCLAIMED = { claimed_by: null, claimed_until: null };

/**
 * Grants and revocations as a work queue: what is due, leases (claims with
 * heartbeats, so another replica takes over the work of one that died), and
 * how each piece of work ends. Every write that ends a piece of work is
 * guarded by the status or by the lease.
 */
export class RequestWorkQueue {
  constructor(private readonly knex: Knex) {}

  async dueToGrant(now: Date, limit: number): Promise<StoredRequest[]> {
    const rows: RequestRow[] = await this.knex('requests')
      .where('status', 'approved')
      .where('start_time', '<=', now)
      .where('end_time', '>', now)
      .orderBy('start_time')
      .limit(limit);
    return withApprovers(this.knex, rows);
  }

  async windowElapsed(now: Date, limit: number): Promise<StoredRequest[]> {
    const rows: RequestRow[] = await this.knex('requests')
      .where('status', 'approved')
      .where('end_time', '<=', now)
      .limit(limit);
    return withApprovers(this.knex, rows);
  }

  async dueToEnd(now: Date, limit: number): Promise<StoredRequest[]> {
    const rows: RequestRow[] = await this.knex('requests')
      .where('status', 'active')
      .where('end_time', '<=', now)
      .orderBy('end_time')
      .limit(limit);
    return withApprovers(this.knex, rows);
  }

  /**
   * One statement of index lookups (status with start_time or end_time),
   * cheap enough to poll every few seconds.
   */
  async nextProvisioningDue(now: Date): Promise<Date | undefined> {
    const { knex } = this;
    const free = (q: Knex.QueryBuilder) =>
      q
        .whereIn('status', ['granting', 'revoking'])
        .where(leaseFree('claimed_until', now));
    const rows: Array<{ kind: string; due: DbTime | null }> = await knex
      .select(knex.raw("'start' as kind"), knex.raw('min(start_time) as due'))
      .from('requests')
      .where('status', 'approved')
      .unionAll(q =>
        q
          .select(knex.raw("'end' as kind"), knex.raw('min(end_time) as due'))
          .from('requests')
          .where('status', 'active'),
      )
      .unionAll(q =>
        free(
          q
            .select(
              knex.raw("'retry' as kind"),
              knex.raw('min(next_attempt_at) as due'),
            )
            .from('requests'),
        ),
      )
      .unionAll(q =>
        free(
          q
            // any value means a row waits without a retry time: due now
            .select(
              knex.raw("'now' as kind"),
              knex.raw('min(start_time) as due'),
            )
            .from('requests')
            .whereNull('next_attempt_at'),
        ),
      );
    let next: number | undefined;
    for (const row of rows) {
      if (row.due === null || row.due === undefined) continue;
      const at = row.kind === 'now' ? now.getTime() : toDate(row.due).getTime();
      next = next === undefined ? at : Math.min(next, at);
    }
    return next === undefined ? undefined : new Date(next);
  }

  async unclaimed(
    status: 'granting' | 'revoking',
    now: Date,
    limit: number,
  ): Promise<StoredRequest[]> {
    const rows: RequestRow[] = await this.knex('requests')
      .where('status', status)
      .where(leaseFree('claimed_until', now))
      .where(q =>
        q.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', now),
      )
      .orderBy('updated_at')
      .limit(limit);
    return withApprovers(this.knex, rows);
  }

  async claim(
    id: string,
    status: RequestStatus,
    owner: string,
    now: Date,
    until: Date,
  ): Promise<boolean> {
    const updated = await this.knex('requests')
      .where({ id, status })
      // free, or already this owner's
      .where(q =>
        q.where(leaseFree('claimed_until', now)).orWhere('claimed_by', owner),
      )
      .update({ claimed_by: owner, claimed_until: until });
    return updated === 1;
  }

  claimByTransition(change: Transition, lease: Lease): Promise<boolean> {
    return tryTransition(this.knex, change, {
      claimed_by: lease.owner,
      claimed_until: lease.until,
    });
  }

  async heartbeat(id: string, owner: string, until: Date): Promise<boolean> {
    const updated = await this.knex('requests')
      .where({ id, claimed_by: owner })
      .update({ claimed_until: until });
    return updated === 1;
  }

  recordPrincipal(
    id: string,
    owner: string,
    principal: { principalId: string; userName: string },
  ): Promise<boolean> {
    return this.updateClaimed(id, owner, {
      principal_id: principal.principalId,
      principal_name: principal.userName,
    });
  }

  markGranted(change: SystemChange & { endTime: Date }): Promise<boolean> {
    return tryTransition(
      this.knex,
      { ...change, from: 'granting', to: 'active', action: 'grant-succeeded' },
      {
        granted_at: change.now,
        end_time: change.endTime,
        attempts: 0,
        next_attempt_at: null,
        ...UNCLAIMED,
      },
    );
  }

  markGrantFailed(change: Omit<SystemChange, 'message'> & { reason: string }) {
    const { reason, ...rest } = change;
    return tryTransition(
      this.knex,
      {
        ...rest,
        from: 'granting',
        to: 'error',
        action: 'grant-failed',
        message: reason,
      },
      { error_reason: reason, ...UNCLAIMED },
    );
  }

  abandonGrant(change: SystemChange): Promise<boolean> {
    return tryTransition(
      this.knex,
      { ...change, from: 'granting', to: 'revoking', action: 'end' },
      { next_attempt_at: null, ...UNCLAIMED },
    );
  }

  markRevocationComplete(
    change: SystemChange & { to: 'ended' | 'revoked' },
  ): Promise<boolean> {
    return tryTransition(
      this.knex,
      { ...change, from: 'revoking', action: 'revoke-succeeded' },
      {
        ended_at: change.now,
        error_reason: null,
        attempts: 0,
        next_attempt_at: null,
        ...UNCLAIMED,
      },
    );
  }

  async markRevokeAlerted(id: string, now: Date): Promise<boolean> {
    const updated = await this.knex('requests')
      .where({ id })
      .whereNull('revoke_alerted_at')
      .update({ revoke_alerted_at: now });
    return updated === 1;
  }

  async release(id: string, owner: string): Promise<void> {
    await this.releaseWith(id, owner, {});
  }

  async releaseDueNow(id: string, owner: string): Promise<void> {
    await this.releaseWith(id, owner, { next_attempt_at: null });
  }

  async releaseForRetry(
    id: string,
    owner: string,
    retry: { nextAttemptAt: Date; attempts?: number; error?: string },
  ): Promise<void> {
    await this.releaseWith(id, owner, {
      next_attempt_at: retry.nextAttemptAt,
      ...(retry.attempts !== undefined && { attempts: retry.attempts }),
      ...(retry.error !== undefined && { error_reason: retry.error }),
    });
  }

  async releaseAllOf(owner: string): Promise<void> {
    await this.knex('requests')
      .where({ claimed_by: owner })
      .update({ ...UNCLAIMED, next_attempt_at: null });
    await this.knex('requests')
      .where({ activity_claimed_by: owner })
      .update({ activity_claimed_by: null, activity_claimed_until: null });
  }

  /** Updates a row this replica holds the lease on; false if it lost it. */
  private async updateClaimed(id: string, owner: string, patch: RequestPatch) {
    const updated = await this.knex('requests')
      .where({ id, claimed_by: owner })
      .update(patch);
    return updated === 1;
  }

  private async releaseWith(id: string, owner: string, patch: RequestPatch) {
    await this.knex('requests')
      .where({ id, claimed_by: owner })
      .update({ ...patch, ...UNCLAIMED });
  }
}
