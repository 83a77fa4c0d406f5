import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  formatMinutes,
  RequestExtension,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { EventLog } from './EventLog';
import { DbTime, insertUnique, parseJson, toBool, toIso } from './util';

interface ExtensionRow {
  id: string;
  request_id: string;
  requester_ref: string;
  added_minutes: number;
  total_minutes: number;
  justification: string;
  status: RequestExtension['status'];
  approval_required: boolean | number;
  min_approvals: number;
  approvals: number;
  approver_refs: string;
  policy_ids: string;
  previous_end_time: DbTime;
  new_end_time: DbTime | null;
  decided_by: string | null;
  decision_comment: string | null;
  created_at: DbTime;
  decided_at: DbTime | null;
}

/** An extension as stored: what the API shows, and the policies it was judged under. */
export interface StoredExtension extends RequestExtension {
  policyIds: string[];
}

function toStored(row: ExtensionRow): StoredExtension {
  return {
    id: row.id,
    requestId: row.request_id,
    requesterRef: row.requester_ref,
    addedMinutes: row.added_minutes,
    totalMinutes: row.total_minutes,
    justification: row.justification,
    status: row.status,
    approvalRequired: toBool(row.approval_required),
    minApprovals: row.min_approvals,
    approvals: row.approvals,
    approverRefs: parseJson(row.approver_refs, []),
    policyIds: parseJson(row.policy_ids, []),
    previousEndTime: toIso(row.previous_end_time),
    newEndTime: toIso(row.new_end_time),
    decidedBy: row.decided_by ?? undefined,
    decisionComment: row.decision_comment ?? undefined,
    createdAt: toIso(row.created_at),
    decidedAt: toIso(row.decided_at),
  };
}

/** A new extension, as the service judged it. */
export interface NewExtension {
  requestId: string;
  /** The request's version the judgement was made on (a guard). */
  requestVersion: number;
  requesterRef: string;
  addedMinutes: number;
  totalMinutes: number;
  justification: string;
  approvalRequired: boolean;
  minApprovals: number;
  approverRefs: string[];
  policyIds: string[];
  previousEndTime: Date;
  /** The end once extended (grant + total). */
  newEndTime: Date;
  now: Date;
}

const when = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

/**
 * Extensions of active access and the "ends soon" claims. An extension only
 * ever moves `requests.end_time` (no provisioning: the lifecycle task sees
 * the new end). Every change is a guarded update in one transaction with its
 * event, so two replicas or two people acting at once cannot both win.
 */
export class ExtensionStore {
  constructor(private readonly knex: Knex) {}

  async get(id: string): Promise<StoredExtension | undefined> {
    const row: ExtensionRow | undefined = await this.knex('request_extensions')
      .where({ id })
      .first();
    return row && toStored(row);
  }

  /** The request's extensions, newest first. */
  async listFor(requestId: string): Promise<StoredExtension[]> {
    const rows: ExtensionRow[] = await this.knex('request_extensions')
      .where({ request_id: requestId })
      .orderBy('created_at', 'desc')
      .orderBy('id');
    return rows.map(toStored);
  }

  /** Who voted on an extension. */
  async voters(extensionId: string): Promise<string[]> {
    return this.knex('extension_decisions')
      .where({ extension_id: extensionId })
      .pluck('approver_ref');
  }

  /**
   * Stores an extension: applied at once (the end moves) when it needs no
   * approval, else pending (the request's one pending extension). Refused
   * with a ConflictError when the request changed since it was judged or
   * already has a pending extension.
   */
  async create(input: NewExtension): Promise<StoredExtension> {
    const id = randomUUID();
    await this.knex.transaction(async trx => {
      const applied = !input.approvalRequired;
      await trx('request_extensions').insert({
        id,
        request_id: input.requestId,
        requester_ref: input.requesterRef,
        added_minutes: input.addedMinutes,
        total_minutes: input.totalMinutes,
        justification: input.justification,
        status: applied ? 'approved' : 'pending',
        approval_required: input.approvalRequired,
        min_approvals: input.minApprovals,
        approvals: 0,
        approver_refs: JSON.stringify(input.approverRefs),
        policy_ids: JSON.stringify(input.policyIds),
        previous_end_time: input.previousEndTime,
        new_end_time: applied ? input.newEndTime : null,
        created_at: input.now,
        decided_at: applied ? input.now : null,
      });
      const updated = await trx('requests')
        .where({
          id: input.requestId,
          status: 'active',
          version: input.requestVersion,
        })
        .whereNull('pending_extension_id')
        .where('end_time', '>', input.now)
        .update({
          ...(applied
            ? { end_time: input.newEndTime, ends_soon_sent_at: null }
            : { pending_extension_id: id }),
          version: trx.raw('version + 1'),
          updated_at: input.now,
        });
      if (updated !== 1) {
        const row = await trx('requests')
          .where({ id: input.requestId })
          .first('status', 'pending_extension_id');
        throw new ConflictError(
          row?.pending_extension_id
            ? 'An extension of this access already awaits approval; wait for its decision'
            : `The request is ${
                row?.status ?? 'gone'
              } or changed meanwhile; only active access can be extended`,
        );
      }
      await EventLog.append(trx, {
        entityType: 'request',
        entityId: input.requestId,
        action: applied ? 'extend' : 'extension-request',
        actorRef: input.requesterRef,
        message: applied
          ? `Extended by ${formatMinutes(
              input.addedMinutes,
            )} to ${formatMinutes(
              input.totalMinutes,
            )} from the grant; now ends ${when(
              input.newEndTime,
            )} UTC (no approval needed): ${input.justification}`
          : `Asked to extend by ${formatMinutes(
              input.addedMinutes,
            )} (${formatMinutes(
              input.totalMinutes,
            )} from the grant); awaits approval: ${input.justification}`,
        createdAt: input.now,
      });
    });
    return (await this.get(id))!;
  }

  /**
   * One approver's vote on a pending extension. A rejection closes it; the
   * last approval needed moves the request's end, if the access is still
   * active (else the extension lapses, see `lapseDue`).
   */
  async recordDecision(input: {
    extensionId: string;
    approverRef: string;
    decision: 'approve' | 'reject';
    comment?: string;
    now: Date;
  }): Promise<StoredExtension> {
    await this.knex.transaction(async trx => {
      const ext: ExtensionRow | undefined = await trx('request_extensions')
        .where({ id: input.extensionId })
        .first();
      if (!ext) throw new NotFoundError('Extension not found');
      if (ext.status !== 'pending') {
        throw new ConflictError(
          `The extension is ${ext.status}; only pending extensions can be decided`,
        );
      }
      await insertUnique(
        trx,
        'extension_decisions',
        {
          id: randomUUID(),
          extension_id: ext.id,
          approver_ref: input.approverRef,
          decision: input.decision,
          comment: input.comment ?? null,
          created_at: input.now,
        },
        'You have already decided on this extension',
      );
      const comment = input.comment ? `: ${input.comment}` : '';
      // every outcome is an event of the request, by the approver
      const logOnRequest = (action: string, message: string) =>
        EventLog.append(trx, {
          entityType: 'request',
          entityId: ext.request_id,
          action,
          actorRef: input.approverRef,
          message,
          createdAt: input.now,
        });
      // every write is guarded by the pending status and the count read above
      const updatePending = async (patch: Record<string, unknown>) => {
        const updated = await trx('request_extensions')
          .where({ id: ext.id, status: 'pending', approvals: ext.approvals })
          .update(patch);
        if (updated !== 1) {
          throw new ConflictError('The extension changed meanwhile; try again');
        }
      };
      const close = (
        status: 'approved' | 'rejected',
        patch: Record<string, unknown>,
      ) =>
        updatePending({
          status,
          approvals: status === 'approved' ? ext.approvals + 1 : ext.approvals,
          decided_by: input.approverRef,
          decision_comment: input.comment ?? null,
          decided_at: input.now,
          ...patch,
        });
      if (input.decision === 'reject') {
        await close('rejected', {});
        await trx('requests')
          .where({ id: ext.request_id, pending_extension_id: ext.id })
          .update({ pending_extension_id: null, updated_at: input.now });
        await logOnRequest(
          'extension-reject',
          `Extension by ${formatMinutes(ext.added_minutes)} rejected${comment}`,
        );
        return;
      }
      const approvals = ext.approvals + 1;
      if (approvals < ext.min_approvals) {
        await updatePending({ approvals });
        await logOnRequest(
          'extension-approve-vote',
          `Extension approval ${approvals} of ${ext.min_approvals}${comment}`,
        );
        return;
      }
      const request = await trx('requests')
        .where({ id: ext.request_id })
        .first('granted_at', 'status', 'end_time');
      const grantedAt = request?.granted_at
        ? Date.parse(toIso(request.granted_at as DbTime))
        : Date.parse(toIso(ext.previous_end_time));
      const newEnd = new Date(grantedAt + ext.total_minutes * 60_000);
      const moved = await trx('requests')
        .where({
          id: ext.request_id,
          status: 'active',
          pending_extension_id: ext.id,
        })
        .where('end_time', '>', input.now)
        .update({
          end_time: newEnd,
          pending_extension_id: null,
          ends_soon_sent_at: null,
          version: trx.raw('version + 1'),
          updated_at: input.now,
        });
      if (moved !== 1) {
        throw new ConflictError(
          'The access ended before the extension was approved; the extension lapses',
        );
      }
      await close('approved', { new_end_time: newEnd });
      await logOnRequest(
        'extension-approve',
        `Extension by ${formatMinutes(
          ext.added_minutes,
        )} approved; now ends ${when(newEnd)} UTC${comment}`,
      );
    });
    return (await this.get(input.extensionId))!;
  }

  /**
   * Pending extensions whose access ended (or whose end passed) before
   * anyone decided: each lapses once, with its event. Returns those this
   * call closed (another replica's are not returned twice).
   */
  async lapseDue(now: Date, limit: number): Promise<StoredExtension[]> {
    const rows: ExtensionRow[] = await this.knex('request_extensions as x')
      .join('requests as r', 'r.id', 'x.request_id')
      .where('x.status', 'pending')
      .where(w =>
        w.whereNot('r.status', 'active').orWhere('r.end_time', '<=', now),
      )
      .select('x.*')
      .limit(limit);
    const lapsed: StoredExtension[] = [];
    for (const row of rows) {
      const won = await this.knex.transaction(async trx => {
        const closed = await trx('request_extensions')
          .where({ id: row.id, status: 'pending' })
          .update({ status: 'lapsed', decided_at: now });
        if (closed !== 1) return false;
        await trx('requests')
          .where({ id: row.request_id, pending_extension_id: row.id })
          .update({ pending_extension_id: null });
        await EventLog.append(trx, {
          entityType: 'request',
          entityId: row.request_id,
          action: 'extension-lapse',
          actorRef: 'system:elevated-access',
          message: `The extension by ${formatMinutes(
            row.added_minutes,
          )} lapsed: the access ended before anyone decided`,
          createdAt: now,
        });
        return true;
      });
      if (won) lapsed.push({ ...toStored(row), status: 'lapsed' });
    }
    return lapsed;
  }

  /** Active requests ending within `withinMs` whose "ends soon" notice is not handled yet. */
  async dueEndsSoon(now: Date, withinMs: number, limit: number) {
    return this.knex('requests')
      .where('status', 'active')
      .whereNull('ends_soon_sent_at')
      .where('end_time', '>', now)
      .where('end_time', '<=', new Date(now.getTime() + withinMs))
      .orderBy('end_time')
      .limit(limit)
      .pluck('id') as Promise<string[]>;
  }

  /** Claims the "ends soon" notice for the current end; false when another replica did. */
  async claimEndsSoon(id: string, now: Date): Promise<boolean> {
    const updated = await this.knex('requests')
      .where({ id, status: 'active' })
      .whereNull('ends_soon_sent_at')
      .update({ ends_soon_sent_at: now });
    return updated === 1;
  }
}
