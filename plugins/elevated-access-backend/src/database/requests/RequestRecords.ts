import { ConflictError } from '@backstage/errors';
import {
  AuditEvent,
  findTransition,
  HOLDING_STATUSES,
  LIVE_STATUSES,
  RequestStatus,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { EventLog } from '../EventLog';
import { DbTime, toIso, usesPostgres } from '../util';
import { readRequest, RequestRow, withApprovers } from './requestRows';
import { runTransition, tryTransition } from './transitions';
import { NewRequest, StoredRequest, Transition } from './types';

/** The creation event's message: how the request starts out. */
function creationMessage(input: NewRequest): string {
  if (input.breakGlass) {
    return `Break-glass: approved at once under policy ${input.breakGlass.policyName}, review needed`;
  }
  if (input.status === 'approved') return 'Requested; no approval needed';
  return `Requested; waiting for ${input.minApprovals} approval${
    input.minApprovals > 1 ? 's' : ''
  }`;
}

/**
 * Requests one at a time: creating and reading them, their events, and the
 * status changes people make (every one a guarded update, see transitions).
 */
export class RequestRecords {
  constructor(private readonly knex: Knex) {}

  async create(
    input: NewRequest,
    options: { exclusiveWindow?: boolean } = {},
  ): Promise<StoredRequest> {
    if (!findTransition(null, 'create', input.status)) {
      throw new Error(`A request cannot be created as ${input.status}`);
    }
    const id = randomUUID();
    await this.knex.transaction(async trx => {
      if (options.exclusiveWindow) {
        await this.refuseOverlap(trx, input);
      }
      await trx('requests').insert({
        id,
        requester_ref: input.requesterRef,
        account_id: input.accountId,
        account_name: input.accountName,
        permission_set_arn: input.permissionSetArn,
        permission_set_name: input.permissionSetName,
        status: input.status,
        start_time: input.startTime,
        end_time: input.endTime,
        duration_minutes: input.durationMinutes,
        justification: input.justification,
        ticket_id: input.ticketId ?? null,
        approval_required: input.approvalRequired,
        min_approvals: input.minApprovals,
        approvals: 0,
        policy_ids: JSON.stringify(input.policyIds),
        expires_at: input.expiresAt ?? null,
        break_glass: Boolean(input.breakGlass),
        sensitive: Boolean(input.sensitive),
        version: 1,
        created_at: input.createdAt,
        updated_at: input.createdAt,
      });
      const refs = [...new Set(input.approverRefs)];
      if (refs.length) {
        await trx('request_approvers').insert(
          refs.map(ref => ({ request_id: id, approver_ref: ref })),
        );
      }
      await EventLog.append(trx, {
        entityType: 'request',
        entityId: id,
        action: 'create',
        actorRef: input.requesterRef,
        fromStatus: null,
        toStatus: input.status,
        message: creationMessage(input),
        createdAt: input.createdAt,
      });
    });
    return (await this.get(id))!;
  }

  private async refuseOverlap(trx: Knex.Transaction, input: NewRequest) {
    if (usesPostgres(this.knex)) {
      // one creator at a time per user and pair (released at commit)
      await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [
        `${input.requesterRef}|${input.accountId}|${input.permissionSetArn}`,
      ]);
    }
    const other = await trx('requests')
      .where({
        requester_ref: input.requesterRef,
        account_id: input.accountId,
        permission_set_arn: input.permissionSetArn,
      })
      .whereIn('status', [...LIVE_STATUSES])
      .where('start_time', '<', input.endTime)
      .where('end_time', '>', input.startTime)
      .orderBy('start_time')
      .first('id', 'status', 'start_time', 'end_time');
    if (other) {
      throw new ConflictError(
        `You already have a ${other.status} request (${other.id}) for ${
          input.permissionSetName
        } on ${input.accountName} from ${toIso(
          other.start_time as DbTime,
        )} to ${toIso(
          other.end_time as DbTime,
        )}; choose a window that starts after it ends, or cancel it first`,
      );
    }
  }

  get(id: string): Promise<StoredRequest | undefined> {
    return readRequest(this.knex, id);
  }

  async getMany(ids: string[]): Promise<StoredRequest[]> {
    if (!ids.length) return [];
    const rows: RequestRow[] = await this.knex('requests').whereIn('id', ids);
    return withApprovers(this.knex, rows);
  }

  async events(requestId: string): Promise<AuditEvent[]> {
    return EventLog.forEntity(this.knex, 'request', requestId);
  }

  async note(
    id: string,
    action: string,
    actorRef: string,
    message: string,
    now: Date,
  ) {
    await EventLog.append(this.knex, {
      entityType: 'request',
      entityId: id,
      action,
      actorRef,
      message,
      createdAt: now,
    });
  }

  async lastErrorAction(id: string): Promise<string | undefined> {
    const row = await this.knex('events')
      .where({ entity_type: 'request', entity_id: id, to_status: 'error' })
      .orderBy('id', 'desc')
      .first('action');
    return row?.action;
  }

  async holders(
    triple: {
      principalId: string;
      accountId: string;
      permissionSetArn: string;
    },
    exceptId: string,
    statuses: readonly RequestStatus[] = HOLDING_STATUSES,
  ): Promise<Array<{ id: string; status: RequestStatus; endTime: string }>> {
    const rows = await this.knex('requests')
      .where({
        principal_id: triple.principalId,
        account_id: triple.accountId,
        permission_set_arn: triple.permissionSetArn,
      })
      .whereIn('status', [...statuses])
      .whereNot('id', exceptId)
      .select('id', 'status', 'end_time');
    return rows.map(r => ({
      id: r.id,
      status: r.status,
      endTime: toIso(r.end_time as DbTime),
    }));
  }

  async close(change: Transition): Promise<StoredRequest> {
    await runTransition(this.knex, change, { ended_at: change.now });
    return (await this.get(change.id))!;
  }

  tryClose(change: Transition): Promise<boolean> {
    return tryTransition(this.knex, change, { ended_at: change.now });
  }

  async revoke(
    change: Transition & { comment?: string },
  ): Promise<StoredRequest> {
    const { comment, ...transition } = change;
    const revocation = {
      revoked_by: change.actorRef,
      revoke_comment: comment ?? null,
    };
    await runTransition(
      this.knex,
      transition,
      change.to === 'revoked'
        ? { ...revocation, ended_at: change.now }
        : {
            ...revocation,
            // due at once, whoever held the grant's lease
            next_attempt_at: change.now,
            claimed_by: null,
            claimed_until: null,
          },
    );
    return (await this.get(change.id))!;
  }

  async retryFailed(change: Transition): Promise<StoredRequest> {
    await runTransition(this.knex, change, {
      error_reason: null,
      attempts: 0,
      next_attempt_at: null,
      claimed_by: null,
      claimed_until: null,
    });
    return (await this.get(change.id))!;
  }
}
