import {
  ChangeEntityType,
  CHANGE_ENTITY_TYPES,
  ConfigChange,
  DecisionRecord,
  RequestStatus,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Knex } from 'knex';
import { EventLog, EventRow } from './EventLog';
import { DbTime, pageNewestFirst, toIso } from './util';

export interface DecisionFilter {
  /** Normalised refs. */
  approverRef?: string;
  requesterRef?: string;
  accountId?: string;
  decision?: 'approve' | 'reject';
  from?: Date;
  to?: Date;
}

export interface ChangeFilter {
  entityType?: ChangeEntityType;
  actorRef?: string;
  from?: Date;
  to?: Date;
}

interface DecisionRow {
  id: string;
  request_id: string;
  approver_ref: string;
  decision: 'approve' | 'reject';
  comment: string | null;
  duration_minutes: number | null;
  created_at: DbTime;
  requester_ref: string;
  account_id: string;
  account_name: string;
  permission_set_arn: string;
  permission_set_name: string;
  requested_duration_minutes: number;
  request_status: RequestStatus;
}

function toDecision(row: DecisionRow): DecisionRecord {
  return {
    id: row.id,
    requestId: row.request_id,
    requesterRef: row.requester_ref,
    accountId: row.account_id,
    accountName: row.account_name,
    permissionSetArn: row.permission_set_arn,
    permissionSetName: row.permission_set_name,
    requestedDurationMinutes: row.requested_duration_minutes,
    requestStatus: row.request_status,
    approverRef: row.approver_ref,
    decision: row.decision,
    comment: row.comment ?? undefined,
    durationMinutes: row.duration_minutes ?? undefined,
    createdAt: toIso(row.created_at),
  };
}

/** A policy's or the settings' event, named after the stored value. */
function toChange(row: EventRow): ConfigChange {
  const { fromStatus, toStatus, ...event } = EventLog.toDto(row);
  const nameOf = (v: unknown) => {
    const name = (v as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' ? name : undefined;
  };
  return {
    ...event,
    // the query reads only the change entity types
    entityType: event.entityType as ChangeEntityType,
    entityName: nameOf(event.after) ?? nameOf(event.before),
  };
}

/**
 * The auditors' history: every approver decision with the request it was
 * on, and every policy or settings change from the event log. Both newest
 * first, keyset-paginated.
 */
export class AuditHistoryStore {
  constructor(private readonly knex: Knex) {}

  private decisionQuery(filter: DecisionFilter) {
    const query = this.knex('request_decisions as d')
      .join('requests as r', 'r.id', 'd.request_id')
      .select(
        'd.id',
        'd.request_id',
        'd.approver_ref',
        'd.decision',
        'd.comment',
        'd.duration_minutes',
        'd.created_at',
        'r.requester_ref',
        'r.account_id',
        'r.account_name',
        'r.permission_set_arn',
        'r.permission_set_name',
        'r.duration_minutes as requested_duration_minutes',
        'r.status as request_status',
      );
    if (filter.approverRef) query.where('d.approver_ref', filter.approverRef);
    if (filter.requesterRef) {
      query.where('r.requester_ref', filter.requesterRef);
    }
    if (filter.accountId) query.where('r.account_id', filter.accountId);
    if (filter.decision) query.where('d.decision', filter.decision);
    if (filter.from) query.where('d.created_at', '>=', filter.from);
    if (filter.to) query.where('d.created_at', '<', filter.to);
    return query;
  }

  async decisions(
    filter: DecisionFilter & { cursor?: string; limit: number },
  ): Promise<{ items: DecisionRecord[]; nextCursor?: string }> {
    const { rows, nextCursor } = await pageNewestFirst<DecisionRow>(
      this.decisionQuery(filter),
      { timeColumn: 'd.created_at', idColumn: 'd.id', idType: 'string' },
      filter,
    );
    return { items: rows.map(toDecision), nextCursor };
  }

  /** Every matching decision, newest first, a page at a time (exports). */
  async *scanDecisions(
    filter: DecisionFilter,
    batchSize = 500,
  ): AsyncGenerator<DecisionRecord[]> {
    let cursor: string | undefined;
    do {
      const page = await this.decisions({
        ...filter,
        cursor,
        limit: batchSize,
      });
      if (page.items.length) yield page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }

  async changes(
    filter: ChangeFilter & { cursor?: string; limit: number },
  ): Promise<{ items: ConfigChange[]; nextCursor?: string }> {
    const query = this.knex('events').whereIn(
      'entity_type',
      filter.entityType ? [filter.entityType] : [...CHANGE_ENTITY_TYPES],
    );
    if (filter.actorRef) query.where('actor_ref', filter.actorRef);
    if (filter.from) query.where('created_at', '>=', filter.from);
    if (filter.to) query.where('created_at', '<', filter.to);
    const { rows, nextCursor } = await pageNewestFirst<EventRow>(
      query,
      { timeColumn: 'created_at', idColumn: 'id', idType: 'number' },
      filter,
    );
    return { items: rows.map(toChange), nextCursor };
  }
}
