import { PROVISIONED_STATUSES } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Knex } from 'knex';
import { leaseFree, toBool } from './util';

/** One (principal, account, permission set). */
export interface Triple {
  principalId: string;
  accountId: string;
  permissionSetArn: string;
}

const where = (t: Triple) => ({
  principal_id: t.principalId,
  account_id: t.accountId,
  permission_set_arn: t.permissionSetArn,
});

/**
 * The plugin's record of each assignment it grants, and the lock that every
 * AWS write for an assignment (grant, revoke, drift repair, orphan removal)
 * holds, from any replica.
 *
 * - The lock is not re-entrant: each acquisition has its own token, so two
 *   operations of one replica exclude each other as two replicas do.
 * - A row the plugin created is kept after the assignment is deleted
 *   (`present` false): the plugin never forgets that it made an assignment,
 *   never takes it for a pre-existing one, and the orphan sweep finds every
 *   assignment it may have left behind.
 */
export class AssignmentLedger {
  constructor(private readonly knex: Knex) {}

  /**
   * Takes the triple's lock until `until` under a token unique to this
   * operation; false while anyone else (this replica included) holds it.
   */
  async lock(
    t: Triple,
    token: string,
    now: Date,
    until: Date,
  ): Promise<boolean> {
    await this.knex('assignments')
      .insert({ ...where(t), pre_existing: null, recorded_at: now })
      .onConflict(['principal_id', 'account_id', 'permission_set_arn'])
      .ignore();
    const updated = await this.knex('assignments')
      .where(where(t))
      .where(leaseFree('locked_until', now))
      .update({ locked_by: token, locked_until: until });
    return updated === 1;
  }

  /** Extends a lock this operation holds; false when it was lost. */
  async renew(t: Triple, token: string, until: Date): Promise<boolean> {
    const updated = await this.knex('assignments')
      .where({ ...where(t), locked_by: token })
      .update({ locked_until: until });
    return updated === 1;
  }

  async unlock(t: Triple, token: string): Promise<void> {
    await this.knex('assignments')
      .where({ ...where(t), locked_by: token })
      .update({ locked_by: null, locked_until: null });
  }

  /** Lets go of every lock whose token this replica issued (graceful shutdown). */
  async unlockAllOf(owner: string): Promise<void> {
    await this.knex('assignments')
      .where(q =>
        q
          .where('locked_by', 'like', `${owner}:%`)
          .orWhere('locked_by', 'like', `${owner}/%`),
      )
      .update({ locked_by: null, locked_until: null });
  }

  /** undefined: no record; null: recorded but not yet checked. */
  async preExisting(t: Triple): Promise<boolean | null | undefined> {
    const row = await this.knex('assignments')
      .where(where(t))
      .first('pre_existing');
    if (!row) return undefined;
    return row.pre_existing === null ? null : toBool(row.pre_existing);
  }

  async setPreExisting(t: Triple, preExisting: boolean): Promise<void> {
    await this.knex('assignments')
      .where(where(t))
      .update({ pre_existing: preExisting });
  }

  /**
   * Write-ahead record before the plugin creates the assignment. Fenced by
   * the lock: false (and nothing may be created) when the lock was lost.
   */
  async markCreating(t: Triple, token: string, until: Date): Promise<boolean> {
    const updated = await this.knex('assignments')
      .where({ ...where(t), locked_by: token })
      .update({ present: true, pre_existing: false, locked_until: until });
    return updated === 1;
  }

  /**
   * After a create call returned: the assignment may exist, whoever holds the
   * lock now (a call that outlived its lock must still be found by the sweep).
   */
  async markPresent(t: Triple): Promise<void> {
    await this.knex('assignments')
      .where(where(t))
      .update({ present: true, pre_existing: false });
  }

  /**
   * The assignment is confirmed gone (or was never the plugin's to remove).
   * A plugin-made row stays, marked absent; a pre-existing one is dropped so
   * the next grant looks again.
   */
  async markRemoved(t: Triple, token: string): Promise<void> {
    await this.knex('assignments')
      .where({ ...where(t), locked_by: token, pre_existing: true })
      .delete();
    await this.knex('assignments')
      .where({ ...where(t), locked_by: token })
      .update({ present: false });
  }

  /**
   * Assignments the plugin made that may still exist while no request holds
   * them (for the reconciler's orphan sweep).
   */
  async orphans(now: Date, limit = 500): Promise<Triple[]> {
    const rows = await this.knex('assignments as a')
      .where('a.pre_existing', false)
      .where('a.present', true)
      .where(leaseFree('a.locked_until', now))
      .whereNotExists(
        this.knex('requests as r')
          .select(this.knex.raw('1'))
          .whereRaw('r.principal_id = a.principal_id')
          .whereRaw('r.account_id = a.account_id')
          .whereRaw('r.permission_set_arn = a.permission_set_arn')
          .whereIn('r.status', [...PROVISIONED_STATUSES]),
      )
      .select('a.principal_id', 'a.account_id', 'a.permission_set_arn')
      .limit(limit);
    return rows.map(r => ({
      principalId: r.principal_id,
      accountId: r.account_id,
      permissionSetArn: r.permission_set_arn,
    }));
  }

  /** Plugin-made assignments that may still exist (tests and diagnostics). */
  async present(): Promise<Triple[]> {
    const rows = await this.knex('assignments')
      .where({ present: true, pre_existing: false })
      .select('principal_id', 'account_id', 'permission_set_arn');
    return rows.map(r => ({
      principalId: r.principal_id,
      accountId: r.account_id,
      permissionSetArn: r.permission_set_arn,
    }));
  }
}
