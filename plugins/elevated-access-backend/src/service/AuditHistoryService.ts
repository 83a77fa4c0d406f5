import {
  ChangesQuery,
  ConfigChange,
  DecisionRecord,
  DecisionsCsvQuery,
  DecisionsQuery,
  elevatedAccessAuditReadPermission,
  elevatedAccessPolicyManagePermission,
  Page,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Response } from 'express';
import {
  AuditHistoryStore,
  DecisionFilter,
} from '../database/AuditHistoryStore';
import { normalizeRef } from '../domain/refs';
import { AccessControl, CallContext } from './AccessControl';
import { streamCsv } from './csvExport';

const DECISION_COLUMNS = [
  'decided_at',
  'request_id',
  'account_id',
  'account_name',
  'permission_set_name',
  'permission_set_arn',
  'requester',
  'decision',
  'approver',
  'comment',
  'requested_duration_minutes',
  'approved_duration_minutes',
  'request_status',
  'decision_id',
];

function decisionFilter(query: DecisionsCsvQuery): DecisionFilter {
  return {
    approverRef: query.approver ? normalizeRef(query.approver) : undefined,
    requesterRef: query.requester ? normalizeRef(query.requester) : undefined,
    accountId: query.accountId,
    decision: query.decision,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
  };
}

function decisionRow(d: DecisionRecord) {
  return {
    decided_at: d.createdAt,
    request_id: d.requestId,
    account_id: d.accountId,
    account_name: d.accountName,
    permission_set_name: d.permissionSetName,
    permission_set_arn: d.permissionSetArn,
    requester: d.requesterRef,
    decision: d.decision,
    approver: d.approverRef,
    comment: d.comment,
    requested_duration_minutes: d.requestedDurationMinutes,
    approved_duration_minutes: d.durationMinutes,
    request_status: d.requestStatus,
    decision_id: d.id,
  };
}

/**
 * The auditors' history views: the approval history (every decision, with
 * its CSV export) for auditors and admins, and the policy and settings
 * change history for whoever may read policies (auditors and admins).
 */
export class AuditHistoryService {
  constructor(
    private readonly deps: {
      access: AccessControl;
      store: AuditHistoryStore;
    },
  ) {}

  private async requireAudit(ctx: CallContext) {
    await this.deps.access.require(
      elevatedAccessAuditReadPermission,
      ctx.credentials,
      'Only auditors and admins can read the approval history',
    );
  }

  private async requireChangeReader(ctx: CallContext) {
    await this.deps.access.requireAny(
      [elevatedAccessAuditReadPermission, elevatedAccessPolicyManagePermission],
      ctx.credentials,
      'Only auditors and admins can read the change history',
    );
  }

  async decisions(
    ctx: CallContext,
    query: DecisionsQuery,
  ): Promise<Page<DecisionRecord>> {
    await this.requireAudit(ctx);
    return this.deps.store.decisions({
      ...decisionFilter(query),
      cursor: query.cursor,
      limit: query.limit,
    });
  }

  async decisionsCsv(
    ctx: CallContext,
    query: DecisionsCsvQuery,
    res: Response,
  ): Promise<void> {
    await this.requireAudit(ctx);
    const { store } = this.deps;
    const filter = decisionFilter(query);
    async function* rows() {
      for await (const batch of store.scanDecisions(filter)) {
        for (const d of batch) yield decisionRow(d);
      }
    }
    await streamCsv(
      res,
      'elevated-access-decisions.csv',
      DECISION_COLUMNS,
      rows(),
    );
  }

  async changes(
    ctx: CallContext,
    query: ChangesQuery,
  ): Promise<Page<ConfigChange>> {
    await this.requireChangeReader(ctx);
    return this.deps.store.changes({
      entityType: query.type,
      actorRef: query.actor ? normalizeRef(query.actor) : undefined,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      cursor: query.cursor,
      limit: query.limit,
    });
  }
}
