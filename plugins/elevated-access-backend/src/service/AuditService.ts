import {
  ActivityCsvQuery,
  ActivityPage,
  AuditInsights,
  csvExportFilename,
  RequestFilters,
  elevatedAccessAuditReadPermission,
  InsightsQuery,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Response } from 'express';
import { Knex } from 'knex';
import { ActivityStore, toActivityDto } from '../database/ActivityStore';
import { InsightsStore } from '../database/InsightsStore';
import { RequestStore, StoredRequest } from '../database/RequestStore';
import { assembleInsights, resolveRange } from '../domain/insights';
import { Clock, systemClock } from './Clock';
import { AccessControl, CallContext } from './AccessControl';
import { streamCsv } from './csvExport';
import { RequestService } from './RequestService';
import { FieldInputError } from '../domain/FieldInputError';

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
  'used',
  'break_glass',
  'review_outcome',
  'reviewed_by',
  'reviewed_at',
  'review_comment',
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
      insights?: InsightsStore;
      clock?: Clock;
    },
  ) {}

  /**
   * Grants and granted hours per account and permission set over time, the
   * share unused and the event sources each permission set's sessions used
   * (auditors, admins). Grouped in SQL; see domain/insights for the buckets.
   */
  async insights(
    ctx: CallContext,
    query: InsightsQuery,
  ): Promise<AuditInsights> {
    await this.deps.access.require(
      elevatedAccessAuditReadPermission,
      ctx.credentials,
      'Only auditors and admins can see access insights',
    );
    const store = this.deps.insights;
    if (!store) throw new Error('Insights are not configured');
    const range = resolveRange(query, (this.deps.clock ?? systemClock).now());
    const [byAccount, byPermissionSet, sources] = await Promise.all([
      store.grants(range, 'account'),
      store.grants(range, 'permissionSet'),
      store.eventSources(range),
    ]);
    return assembleInsights({ range, byAccount, byPermissionSet, sources });
  }

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

  /**
   * Every request of the audit list (`view=all`) with the same filters,
   * with its decisions, streamed; the file name names the filters.
   */
  async requestsCsv(
    ctx: CallContext,
    query: RequestFilters,
    res: Response,
  ): Promise<void> {
    await this.requireAudit(ctx);
    const pages = await this.deps.requests.exportPages(ctx, {
      ...query,
      view: 'all',
    });
    await this.streamRequests(res, csvExportFilename('requests', query), pages);
  }

  /**
   * An approver's history (`view=decided`) with the same filters: what they
   * decided and what ended where they approve today, streamed.
   */
  async decidedCsv(
    ctx: CallContext,
    query: RequestFilters,
    res: Response,
  ): Promise<void> {
    const pages = await this.deps.requests.exportPages(ctx, {
      ...query,
      view: 'decided',
    });
    await this.streamRequests(res, csvExportFilename('decided', query), pages);
  }

  private async streamRequests(
    res: Response,
    filename: string,
    pages: AsyncIterable<StoredRequest[]>,
  ) {
    const store = this.deps.requestStore;
    async function* rows() {
      for await (const page of pages) {
        const decisions = await store.decisions(page.map(r => r.id));
        for (const r of page) {
          yield AuditService.requestRow(r, decisions.get(r.id) ?? []);
        }
      }
    }
    await streamCsv(res, filename, REQUEST_COLUMNS, rows());
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
    return {
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
      used: r.used,
      break_glass: r.breakGlass,
      review_outcome: r.review?.outcome,
      reviewed_by: r.review?.reviewerRef,
      reviewed_at: r.review?.createdAt,
      review_comment: r.review?.comment,
    };
  }

  /**
   * Session activity, streamed: of one request (`requestId`, for whoever may
   * read it), or of the requests the audit list shows for the same filters
   * (auditors, admins); `q` is the activity search's text. The file name
   * names the filters.
   */
  async activityCsv(
    ctx: CallContext,
    query: Partial<ActivityCsvQuery>,
    res: Response,
  ): Promise<void> {
    const { requestId, q, ...filters } = query;
    const listFiltered = Object.values(filters).some(
      v => v !== undefined && !(Array.isArray(v) && !v.length),
    );
    let only: StoredRequest | undefined;
    let requests: Knex.QueryBuilder | undefined;
    let none = false;
    if (requestId) {
      if (listFiltered) {
        throw FieldInputError.of(
          'requestId',
          'Export one request by its id, or the requests of a list by its filters, not both',
        );
      }
      // one session: whoever may read the request may export its activity
      only = await this.deps.requests.readable(ctx, requestId);
    } else {
      await this.requireAudit(ctx);
      if (listFiltered) {
        const ids = await this.deps.requests.exportIds(ctx, {
          ...filters,
          view: 'all',
        });
        // their permission shows them no request: the file has no rows
        requests = ids === 'none' ? undefined : ids.subquery;
        none = ids === 'none';
      }
    }
    const { activity, requestStore } = this.deps;
    const known = new Map<string, StoredRequest>();
    if (only) known.set(only.id, only);
    const noneOrAll = none ? [] : undefined;
    async function* rows() {
      for await (const batch of activity.scan({
        requestIds: only ? [only.id] : noneOrAll,
        requests,
        q,
      })) {
        const missing = [...new Set(batch.map(r => r.request_id))].filter(
          id => !known.has(id),
        );
        for (const r of await requestStore.getMany(missing)) known.set(r.id, r);
        for (const row of batch) {
          const e = toActivityDto(row);
          const request = known.get(row.request_id);
          yield {
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
          };
        }
        // keep the lookup bounded on very large exports
        if (known.size > 10_000) known.clear();
      }
    }
    await streamCsv(
      res,
      csvExportFilename('activity', { requestId, ...filters, q }),
      ACTIVITY_COLUMNS,
      rows(),
    );
  }
}
