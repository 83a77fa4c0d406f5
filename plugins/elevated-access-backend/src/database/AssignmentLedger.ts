import { Knex } from 'knex';
import { toBool } from './util';

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
 * The plugin's record of each assignment it grants: whether it existed before
 * the plugin granted it (then it is never deleted), and a lock so grants and
 * revocations of the same assignment, from any replica, never interleave.
 */
export class AssignmentLedger {
  constructor(private readonly knex: Knex) {}

  /** Takes the triple's lock until `until`; false when someone else holds it. */
  async lock(
    t: Triple,
    owner: string,
    now: Date,
    until: Date,
  ): Promise<boolean> {
    await this.knex('assignments')
      .insert({ ...where(t), pre_existing: null, recorded_at: now })
      .onConflict(['principal_id', 'account_id', 'permission_set_arn'])
      .ignore();
    const updated = await this.knex('assignments')
      .where(where(t))
      .where(q =>
        q
          .whereNull('locked_until')
          .orWhere('locked_until', '<', now)
          .orWhere('locked_by', owner),
      )
      .update({ locked_by: owner, locked_until: until });
    return updated === 1;
  }

  async unlock(t: Triple, owner: string): Promise<void> {
    await this.knex('assignments')
      .where({ ...where(t), locked_by: owner })
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

  /** Forgets the triple once no grant of the plugin holds it any more. */
  async forget(t: Triple, owner: string): Promise<void> {
    await this.knex('assignments')
      .where({ ...where(t), locked_by: owner })
      .delete();
  }

  /** Assignments the plugin made that no request holds any more (for the reconciler). */
  async orphans(now: Date): Promise<Triple[]> {
    const rows = await this.knex('assignments as a')
      .where('a.pre_existing', false)
      .where(q =>
        q.whereNull('a.locked_until').orWhere('a.locked_until', '<', now),
      )
      .whereNotExists(
        this.knex('requests as r')
          .select(this.knex.raw('1'))
          .whereRaw('r.principal_id = a.principal_id')
          .whereRaw('r.account_id = a.account_id')
          .whereRaw('r.permission_set_arn = a.permission_set_arn')
          .whereIn('r.status', ['granting', 'active', 'revoking', 'error']),
      )
      .select('a.principal_id', 'a.account_id', 'a.permission_set_arn');
    return rows.map(r => ({
      principalId: r.principal_id,
      accountId: r.account_id,
      permissionSetArn: r.permission_set_arn,
    }));
  }
}
