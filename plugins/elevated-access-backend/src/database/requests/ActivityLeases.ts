import { Knex } from 'knex';
import { DbTime, leaseFree, toIso } from '../util';
import { RequestRow, withApprovers } from './requestRows';
import { ActivityProgress, StoredRequest } from './types';

/**
 * Activity collection as a work queue: the sessions still being collected,
 * the activity lease (separate from the provisioning lease, so collection
 * never waits for a grant or revocation) and the progress each run leaves.
 */
export class ActivityLeases {
  constructor(private readonly knex: Knex) {}

  async activityDue(now: Date, limit: number): Promise<StoredRequest[]> {
    const rows: RequestRow[] = await this.knex('requests')
      .whereNotNull('granted_at')
      .whereNotNull('principal_name')
      .where('activity_complete', false)
      .where(leaseFree('activity_claimed_until', now))
      .orderBy('granted_at')
      .limit(limit);
    return withApprovers(this.knex, rows);
  }

  async sessionsOverlapping(options: {
    accountId: string;
    permissionSetArn: string;
    principalName: string;
    from: Date;
    to: Date;
  }): Promise<Array<{ requestId: string; grantedAt: string; endsAt: string }>> {
    const rows: Array<{
      id: string;
      granted_at: DbTime;
      ended_at: DbTime | null;
      end_time: DbTime;
    }> = await this.knex('requests')
      .where({
        account_id: options.accountId,
        permission_set_arn: options.permissionSetArn,
        principal_name: options.principalName,
      })
      .whereNotNull('granted_at')
      .where('granted_at', '<', options.to)
      .where(q =>
        q
          .where('ended_at', '>', options.from)
          .orWhere(w =>
            w.whereNull('ended_at').where('end_time', '>', options.from),
          ),
      )
      .select('id', 'granted_at', 'ended_at', 'end_time');
    return rows.map(row => ({
      requestId: row.id,
      grantedAt: toIso(row.granted_at)!,
      endsAt: toIso(row.ended_at ?? row.end_time)!,
    }));
  }

  async claimActivity(
    id: string,
    owner: string,
    now: Date,
    until: Date,
  ): Promise<boolean> {
    const updated = await this.knex('requests')
      .where({ id })
      .where(leaseFree('activity_claimed_until', now))
      .update({ activity_claimed_by: owner, activity_claimed_until: until });
    return updated === 1;
  }

  async heartbeatActivity(
    id: string,
    owner: string,
    until: Date,
  ): Promise<boolean> {
    const updated = await this.knex('requests')
      .where({ id, activity_claimed_by: owner })
      .update({ activity_claimed_until: until });
    return updated === 1;
  }

  async releaseActivity(
    id: string,
    owner: string,
    progress: ActivityProgress,
  ): Promise<void> {
    await this.knex('requests')
      .where({ id, activity_claimed_by: owner })
      .update({
        activity_collected_until: progress.collectedUntil,
        activity_complete: progress.complete,
        // known once collection is final; unknown (null) until then
        used: progress.complete ? progress.used ?? null : null,
        activity_claimed_by: null,
        activity_claimed_until: null,
      });
  }
}
