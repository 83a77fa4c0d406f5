import { Knex } from 'knex';
import { SessionBlock } from '../domain/sessionBlocks';
import { DbTime, leaseFree, toIso } from './util';

export type SessionBlockStatus =
  | 'pending'
  | 'adding'
  | 'active'
  | 'removing'
  | 'removed';

/** A step that succeeded: no attempts counted, nothing due, no error. */
const SETTLED = { attempts: 0, next_attempt_at: null, error_reason: null };

export interface StoredSessionBlock {
  requestId: string;
  principalName: string;
  accountId: string;
  permissionSetArn: string;
  issuedBefore: string;
  status: SessionBlockStatus;
  removeAfter?: string;
  attempts: number;
  errorReason?: string;
}

interface Row {
  request_id: string;
  principal_name: string;
  account_id: string;
  permission_set_arn: string;
  issued_before: DbTime;
  status: SessionBlockStatus;
  remove_after: DbTime | null;
  attempts: number;
  error_reason: string | null;
}

const fromRow = (r: Row): StoredSessionBlock => ({
  requestId: r.request_id,
  principalName: r.principal_name,
  accountId: r.account_id,
  permissionSetArn: r.permission_set_arn,
  issuedBefore: toIso(r.issued_before),
  status: r.status,
  removeAfter: toIso(r.remove_after),
  attempts: Number(r.attempts),
  errorReason: r.error_reason ?? undefined,
});

/** What a claim moves a row into: the working status of each step. */
const WORKING: Partial<Record<SessionBlockStatus, SessionBlockStatus>> = {
  pending: 'adding',
  active: 'removing',
};

/**
 * The durable outbox of session blocks: each ended access whose open
 * sessions are to be ended, and the lock of each permission set's inline
 * policy. Every step is claimed by one replica under a lease and retried
 * until done; nothing here calls AWS.
 */
export class SessionBlockStore {
  constructor(private readonly knex: Knex) {}

  /** Records a block to add (once per request: a retry adds nothing). */
  async enqueue(block: {
    requestId: string;
    principalName: string;
    accountId: string;
    permissionSetArn: string;
    issuedBefore: Date;
    now: Date;
  }): Promise<void> {
    await this.knex('session_blocks')
      .insert({
        request_id: block.requestId,
        principal_name: block.principalName,
        account_id: block.accountId,
        permission_set_arn: block.permissionSetArn,
        issued_before: block.issuedBefore,
        status: 'pending',
        attempts: 0,
        created_at: block.now,
      })
      .onConflict('request_id')
      .ignore();
  }

  async get(requestId: string): Promise<StoredSessionBlock | undefined> {
    const row = await this.knex('session_blocks')
      .where({ request_id: requestId })
      .first();
    return row ? fromRow(row) : undefined;
  }

  /**
   * Claims due rows for `owner` until `until`: blocks to add, blocks whose
   * time is up, and work a dead or slow replica left behind. The guarded
   * update is the claim: one replica wins each row.
   */
  async claimDue(
    owner: string,
    now: Date,
    until: Date,
    limit: number,
  ): Promise<StoredSessionBlock[]> {
    const free = leaseFree('claimed_until', now);
    const rows: Row[] = await this.knex('session_blocks')
      .where(q =>
        q
          .whereIn('status', ['pending', 'adding', 'removing'])
          .orWhere(a =>
            a.where('status', 'active').where('remove_after', '<=', now),
          ),
      )
      .where(free)
      .where(q =>
        q.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', now),
      )
      .orderBy('created_at')
      .limit(limit);
    const claimed: StoredSessionBlock[] = [];
    for (const row of rows) {
      const status = WORKING[row.status] ?? row.status;
      const updated = await this.knex('session_blocks')
        .where({ request_id: row.request_id, status: row.status })
        .where(free)
        .update({ status, claimed_by: owner, claimed_until: until });
      if (updated === 1) claimed.push(fromRow({ ...row, status }));
    }
    return claimed;
  }

  /** Keeps a claim alive; false when it was lost. */
  async heartbeat(
    requestId: string,
    owner: string,
    until: Date,
  ): Promise<boolean> {
    const updated = await this.knex('session_blocks')
      .where({ request_id: requestId, claimed_by: owner })
      .update({ claimed_until: until });
    return updated === 1;
  }

  /** Gives the block back to be tried again at `retryAt`, the attempt counted. */
  releaseForRetry(
    requestId: string,
    owner: string,
    failure: { attempts: number; retryAt: Date; reason: string },
  ): Promise<boolean> {
    return this.releaseWith(requestId, owner, {
      attempts: failure.attempts,
      next_attempt_at: failure.retryAt,
      error_reason: failure.reason,
    });
  }

  /** Gives the block back untried (the permission set was busy). */
  releaseUntried(
    requestId: string,
    owner: string,
    retryAt: Date,
  ): Promise<boolean> {
    return this.releaseWith(requestId, owner, { next_attempt_at: retryAt });
  }

  /** The sessions are denied; the block is lifted after `removeAfter`. */
  markActive(
    requestId: string,
    owner: string,
    removeAfter: Date,
  ): Promise<boolean> {
    return this.releaseWith(requestId, owner, {
      ...SETTLED,
      status: 'active',
      remove_after: removeAfter,
    });
  }

  /** The block is out of the inline policy: nothing more to do. */
  markRemoved(requestId: string, owner: string): Promise<boolean> {
    return this.releaseWith(requestId, owner, {
      ...SETTLED,
      status: 'removed',
    });
  }

  /** Ends this replica's claim, with the row's next state. */
  private async releaseWith(
    requestId: string,
    owner: string,
    columns: {
      status?: SessionBlockStatus;
      remove_after?: Date;
      attempts?: number;
      next_attempt_at?: Date | null;
      error_reason?: string | null;
    },
  ): Promise<boolean> {
    const updated = await this.knex('session_blocks')
      .where({ request_id: requestId, claimed_by: owner })
      .update({ ...columns, claimed_by: null, claimed_until: null });
    return updated === 1;
  }

  /** Gives back every claim of this replica, due at once (graceful shutdown). */
  async releaseAllOf(owner: string): Promise<void> {
    await this.knex('session_blocks')
      .where({ claimed_by: owner })
      .update({ claimed_by: null, claimed_until: null, next_attempt_at: null });
    await this.knex('permission_set_locks')
      .where('locked_by', 'like', `${owner}:%`)
      .update({ locked_by: null, locked_until: null });
  }

  /** The blocks that belong in a permission set's inline policy now. */
  async inPolicy(permissionSetArn: string): Promise<SessionBlock[]> {
    const rows: Row[] = await this.knex('session_blocks')
      .where({ permission_set_arn: permissionSetArn })
      .whereIn('status', ['adding', 'active'])
      .orderBy('request_id');
    return rows.map(r => ({
      accountId: r.account_id,
      userName: r.principal_name,
      issuedBefore: toIso(r.issued_before),
    }));
  }

  /**
   * Takes the lock of a permission set's inline policy until `until`; false
   * while another operation (of any replica) holds it.
   */
  async lock(
    permissionSetArn: string,
    token: string,
    now: Date,
    until: Date,
  ): Promise<boolean> {
    await this.knex('permission_set_locks')
      .insert({ permission_set_arn: permissionSetArn })
      .onConflict('permission_set_arn')
      .ignore();
    const updated = await this.knex('permission_set_locks')
      .where({ permission_set_arn: permissionSetArn })
      .where(leaseFree('locked_until', now))
      .update({ locked_by: token, locked_until: until });
    return updated === 1;
  }

  async renew(
    permissionSetArn: string,
    token: string,
    until: Date,
  ): Promise<boolean> {
    const updated = await this.knex('permission_set_locks')
      .where({ permission_set_arn: permissionSetArn, locked_by: token })
      .update({ locked_until: until });
    return updated === 1;
  }

  async unlock(permissionSetArn: string, token: string): Promise<void> {
    await this.knex('permission_set_locks')
      .where({ permission_set_arn: permissionSetArn, locked_by: token })
      .update({ locked_by: null, locked_until: null });
  }

  /** Whether `token` still holds the lock (checked right before each write). */
  async holds(permissionSetArn: string, token: string): Promise<boolean> {
    const row = await this.knex('permission_set_locks')
      .where({ permission_set_arn: permissionSetArn, locked_by: token })
      .first('locked_by');
    return Boolean(row);
  }
}
