import {
  ActivityPage,
  elevatedAccessAuditReadPermission,
  RequestStatus,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { stringify } from 'csv-stringify';
import { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ActivityStore, toActivityDto } from '../database/ActivityStore';
import { RequestStore, StoredRequest } from '../database/RequestStore';
import { AccessControl, CallContext } from './AccessControl';
import { RequestService } from './RequestService';

/**
 * Spreadsheet programs run cells that start with = + - @ (and tab/CR) as
 * formulas; a leading quote keeps auditors' exports inert (OWASP CSV injection).
 */
export function csvSafe(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const REQUEST_COLUMNS = [
  'id',
  'created_at',
  'requester',
  'account_id',
  'account_name',
  'permission_set_name',
  'permission_set_arn',
  'status',
  'start_time',
  'end_time',
  'duration_minutes',
  'justification',
  'ticket_id',
  'approvers',
  'approvals',
  'decisions',
  'granted_at',
  'ended_at',
  'revoked_by',
  'revoke_comment',
  'error_reason',
];

const ACTIVITY_COLUMNS = [
  'request_id',
  'account_id',
  'requester',
  'event_time',
  'region',
  'event_name',
  'event_source',
  'resources',
  'source_ip',
  'user_agent',
  'read_only',
  'error_code',
  'after_access_ended',
  'event_id',
];

/** Session activity pages and the auditors' CSV exports (streamed). */
export class AuditService {
  constructor(
    private readonly deps: {
      access: AccessControl;
      requests: RequestService;
      requestStore: RequestStore;
      activity: ActivityStore;
    },
  ) {}

  async activity(
    ctx: CallContext,
    requestId: string,
    query: { q?: string; cursor?: string; limit: number },
  ): Promise<ActivityPage> {
    const request = await this.deps.requests.readable(ctx, requestId);
    const page = await this.deps.activity.page({ requestId, ...query });
    return {
      ...page,
      complete: request.activityComplete,
      collectedUntil: request.activityCollectedUntil,
    };
  }

  private async requireAudit(ctx: CallContext) {
    await this.deps.access.require(
      elevatedAccessAuditReadPermission,
      ctx.credentials,
      'Only auditors and admins can export requests and activity',
    );
  }

  private static startCsv(res: Response, filename: string) {
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.setHeader('Cache-Control', 'no-store');
  }

  async requestsCsv(
    ctx: CallContext,
    query: { from?: string; to?: string; status?: RequestStatus[] },
    res: Response,
  ): Promise<void> {
    await this.requireAudit(ctx);
    const store = this.deps.requestStore;
    async function* rows() {
      let cursor: string | undefined;
      do {
        const page = await store.list({
          statuses: query.status,
          createdFrom: query.from ? new Date(query.from) : undefined,
          createdTo: query.to ? new Date(query.to) : undefined,
          cursor,
          limit: 500,
        });
        const decisions = await store.decisions(page.items.map(r => r.id));
        for (const r of page.items) {
          yield AuditService.requestRow(r, decisions.get(r.id) ?? []);
        }
        cursor = page.nextCursor;
      } while (cursor);
    }
    AuditService.startCsv(res, 'elevated-access-requests.csv');
    await pipeline(
      Readable.from(rows()),
      stringify({ header: true, columns: REQUEST_COLUMNS }),
      res,
    );
  }

  private static requestRow(
    r: StoredRequest,
    decisions: Array<{
      approverRef: string;
      decision: string;
      comment?: string;
      createdAt: string;
    }>,
  ) {
    const row: Record<string, unknown> = {
      id: r.id,
      created_at: r.createdAt,
      requester: r.requesterRef,
      account_id: r.accountId,
      account_name: r.accountName,
      permission_set_name: r.permissionSetName,
      permission_set_arn: r.permissionSetArn,
      status: r.status,
      start_time: r.startTime,
      end_time: r.endTime,
      duration_minutes: r.durationMinutes,
      justification: r.justification,
      ticket_id: r.ticketId,
      approvers: r.approverRefs.join(' '),
      approvals: r.approvals,
      decisions: decisions
        .map(
          d =>
            `${d.createdAt} ${d.approverRef} ${d.decision}${
              d.comment ? `: ${d.comment}` : ''
            }`,
        )
        .join(' | '),
      granted_at: r.grantedAt,
      ended_at: r.endedAt,
      revoked_by: r.revokedBy,
      revoke_comment: r.revokeComment,
      error_reason: r.errorReason,
    };
    return Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, csvSafe(v)]),
    );
  }

  async activityCsv(
    ctx: CallContext,
    query: { requestId?: string; from?: string; to?: string },
    res: Response,
  ): Promise<void> {
    let only: StoredRequest | undefined;
    if (query.requestId) {
      // one session: whoever may read the request may export its activity
      only = await this.deps.requests.readable(ctx, query.requestId);
    } else {
      await this.requireAudit(ctx);
    }
    const { activity, requestStore } = this.deps;
    const known = new Map<string, StoredRequest>();
    if (only) known.set(only.id, only);
    async function* rows() {
      for await (const batch of activity.scan({
        requestIds: only ? [only.id] : undefined,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      })) {
        const missing = [...new Set(batch.map(r => r.request_id))].filter(
          id => !known.has(id),
        );
        for (const r of await requestStore.getMany(missing)) known.set(r.id, r);
        for (const row of batch) {
          const e = toActivityDto(row);
          const request = known.get(row.request_id);
          yield Object.fromEntries(
            Object.entries({
              request_id: row.request_id,
              account_id: request?.accountId,
              requester: request?.requesterRef,
              event_time: e.eventTime,
              region: e.region,
              event_name: e.eventName,
              event_source: e.eventSource,
              resources: e.resources.join(' '),
              source_ip: e.sourceIpAddress,
              user_agent: e.userAgent,
              read_only: e.readOnly,
              error_code: e.errorCode,
              after_access_ended: e.afterEnd ?? false,
              event_id: e.eventId,
            }).map(([k, v]) => [k, csvSafe(v)]),
          );
        }
        // keep the lookup bounded on very large exports
        if (known.size > 10_000) known.clear();
      }
    }
    AuditService.startCsv(
      res,
      only
        ? `elevated-access-activity-${only.id}.csv`
        : 'elevated-access-activity.csv',
    );
    await pipeline(
      Readable.from(rows()),
      stringify({ header: true, columns: ACTIVITY_COLUMNS }),
      res,
    );
  }
}
