import {
  AuditEvent,
  RequestStatus,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Knex } from 'knex';
import { DbTime, parseJson, toIso } from './util';

export interface NewEvent {
  entityType: AuditEvent['entityType'];
  entityId: string;
  action: string;
  actorRef: string;
  fromStatus?: RequestStatus | null;
  toStatus?: RequestStatus | null;
  message?: string;
  before?: unknown;
  after?: unknown;
  createdAt: Date;
}

/** A row of the events table. */
export interface EventRow {
  id: number | string;
  entity_type: AuditEvent['entityType'];
  entity_id: string;
  action: string;
  actor_ref: string;
  from_status: RequestStatus | null;
  to_status: RequestStatus | null;
  message: string | null;
  before: string | null;
  after: string | null;
  created_at: DbTime;
}

/**
 * The append-only event log. Writers pass their transaction, so an event is
 * stored exactly when the change it describes is.
 */
export class EventLog {
  static async append(trx: Knex | Knex.Transaction, event: NewEvent) {
    await trx('events').insert({
      entity_type: event.entityType,
      entity_id: event.entityId,
      action: event.action,
      actor_ref: event.actorRef,
      from_status: event.fromStatus ?? null,
      to_status: event.toStatus ?? null,
      message: event.message ?? null,
      before: event.before === undefined ? null : JSON.stringify(event.before),
      after: event.after === undefined ? null : JSON.stringify(event.after),
      created_at: event.createdAt,
    });
  }

  static async forEntity(
    knex: Knex,
    entityType: AuditEvent['entityType'],
    entityId: string,
  ): Promise<AuditEvent[]> {
    const rows: EventRow[] = await knex('events')
      .where({ entity_type: entityType, entity_id: entityId })
      .orderBy('id', 'asc');
    return rows.map(EventLog.toDto);
  }

  static toDto(row: EventRow): AuditEvent {
    return {
      id: String(row.id),
      entityType: row.entity_type,
      entityId: row.entity_id,
      action: row.action,
      actorRef: row.actor_ref,
      fromStatus: row.from_status ?? undefined,
      toStatus: row.to_status ?? undefined,
      message: row.message ?? undefined,
      before: parseJson(row.before, undefined),
      after: parseJson(row.after, undefined),
      createdAt: toIso(row.created_at),
    };
  }
}
