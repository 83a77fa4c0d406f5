import { createApiRef } from '@backstage/core-plugin-api';
import {
  AccessRequest,
  AccessRequestDetail,
  ActivityPage,
  ApproverPolicy,
  ApproverPolicyInput,
  ChangeEntityType,
  ConfigChange,
  DecisionRecord,
  AuditInsights,
  CreateRequestInput,
  EligibilityPolicy,
  EligibilityPolicyInput,
  EligibilityResponse,
  EligibleAccountsResponse,
  EntityAccessResponse,
  InsightsBucket,
  MeResponse,
  Page,
  RequestExtension,
  RequestExtensionsResponse,
  RequestReview,
  RequestStatus,
  SavedPolicy,
  SettingsInput,
  SettingsResponse,
  TargetsResponse,
} from '@elevated-access/backstage-plugin-elevated-access-common';

/**
 * The verdict of a break-glass review.
 *
 * @public
 */
export type ReviewOutcome = RequestReview['outcome'];

/**
 * Filters of the request lists.
 *
 * @public
 */
export interface RequestListQuery {
  /** `decided`: what the caller decided and what ended in their scope (approvers). */
  /** `reviews`: break-glass requests awaiting review (approvers in scope). */
  view: 'mine' | 'approvals' | 'decided' | 'reviews' | 'all';
  status?: RequestStatus[];
  accountId?: string;
  requester?: string;
  from?: string;
  to?: string;
  /** Grants known used (true) or unused (false). */
  used?: boolean;
  /** Break-glass requests only (true) or none of them (false). */
  breakGlass?: boolean;
  /** Break-glass awaiting review, or reviewed with that outcome. */
  review?: 'awaiting' | ReviewOutcome;
  cursor?: string;
  limit?: number;
}

/**
 * The filters of a request list without its view and paging: what the list's
 * CSV export takes, so the file holds the rows the list shows.
 *
 * @public
 */
export type RequestExportFilters = Omit<
  RequestListQuery,
  'view' | 'cursor' | 'limit'
>;

/**
 * Filters of the approval history (every approver decision).
 *
 * @public
 */
export interface DecisionListQuery {
  approver?: string;
  requester?: string;
  accountId?: string;
  decision?: 'approve' | 'reject';
  /** Decisions made at or after this instant. */
  from?: string;
  /** Decisions made before this instant. */
  to?: string;
  cursor?: string;
  limit?: number;
}

/**
 * Filters of the policy and settings change history.
 *
 * @public
 */
export interface ChangeListQuery {
  type?: ChangeEntityType;
  actor?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

/**
 * How a CSV download reports its progress: the bytes received so far (the
 * exports are streamed, so their size is not known ahead).
 *
 * @public
 */
export interface DownloadOptions {
  onProgress?: (bytesReceived: number) => void;
}

/**
 * The Elevated Access backend API, as the browser uses it.
 *
 * @public
 */
export interface ElevatedAccessApi {
  me(): Promise<MeResponse>;
  /**
   * The caller's eligible pairs with their terms: every pair, or with
   * `accountId` only that account's (what the request form loads once an
   * account is chosen; a large organisation has tens of thousands of pairs).
   */
  getEligibility(query?: { accountId?: string }): Promise<EligibilityResponse>;
  /**
   * The caller's eligible accounts matching `q` (name, id, OU name or path),
   * best match first, at most `limit` (50 by default, 200 at most).
   */
  searchEligibleAccounts(query: {
    q?: string;
    limit?: number;
  }): Promise<EligibleAccountsResponse>;
  getSettings(): Promise<SettingsResponse>;
  /**
   * The AWS accounts a catalog entity is about (`entityRef` as
   * `kind:namespace/name`), who holds elevated access to them now or soon,
   * and what the caller may request on them: what the entity card shows.
   */
  getEntityAccess(entityRef: string): Promise<EntityAccessResponse>;
  createRequest(input: CreateRequestInput): Promise<AccessRequest>;
  listRequests(query: RequestListQuery): Promise<Page<AccessRequest>>;
  getRequest(id: string): Promise<AccessRequestDetail>;
  /** Approves, optionally for less time than asked (`durationMinutes`). */
  approve(
    id: string,
    comment?: string,
    durationMinutes?: number,
  ): Promise<AccessRequest>;
  reject(id: string, comment?: string): Promise<AccessRequest>;
  cancel(id: string): Promise<AccessRequest>;
  revoke(id: string, comment?: string): Promise<AccessRequest>;
  retry(id: string): Promise<AccessRequest>;
  /** Reviews a break-glass request once its access ended (approvers). */
  review(
    id: string,
    outcome: ReviewOutcome,
    comment?: string,
  ): Promise<AccessRequest>;
  /** The request's extensions and what the caller may do about them. */
  getExtensions(id: string): Promise<RequestExtensionsResponse>;
  /** Asks for `durationMinutes` more of active access (the requester). */
  extend(
    id: string,
    durationMinutes: number,
    justification: string,
  ): Promise<RequestExtension>;
  /** Approves or rejects the request's pending extension (approvers). */
  decideExtension(
    id: string,
    decision: 'approve' | 'reject',
    comment?: string,
  ): Promise<RequestExtension>;
  getActivity(
    id: string,
    query?: { q?: string; cursor?: string; limit?: number },
  ): Promise<ActivityPage>;
  /** The CSV of every request (auditors, admins), with the audit list's filters. */
  downloadRequestsCsv(
    query: RequestExportFilters,
    options?: DownloadOptions,
  ): Promise<Blob>;
  /** The CSV of the caller's decided view (approvers), with its filters. */
  downloadDecidedCsv(
    query: RequestExportFilters,
    options?: DownloadOptions,
  ): Promise<Blob>;
  /**
   * The CSV of session activity: of one request (`requestId`), or of the
   * requests the audit list shows for the same filters; `q` as the search.
   */
  downloadActivityCsv(
    query: RequestExportFilters & { requestId?: string; q?: string },
    options?: DownloadOptions,
  ): Promise<Blob>;
  /** Grants, granted hours, share unused and event sources used (auditors, admins). */
  getInsights(query: {
    from?: string;
    to?: string;
    bucket?: InsightsBucket;
  }): Promise<AuditInsights>;
  /** The approval history: every decision, newest first (auditors, admins). */
  listDecisions(query: DecisionListQuery): Promise<Page<DecisionRecord>>;
  /** The approval history as CSV, with the same filters. */
  downloadDecisionsCsv(
    query: Omit<DecisionListQuery, 'cursor' | 'limit'>,
    options?: DownloadOptions,
  ): Promise<Blob>;
  /** Policy and settings changes, newest first (auditors, admins). */
  listChanges(query: ChangeListQuery): Promise<Page<ConfigChange>>;
  listEligibilityPolicies(): Promise<{ items: EligibilityPolicy[] }>;
  /** The saved policy, with warnings such as pairs no approver policy covers. */
  createEligibilityPolicy(
    input: EligibilityPolicyInput,
  ): Promise<SavedPolicy<EligibilityPolicy>>;
  updateEligibilityPolicy(
    id: string,
    input: EligibilityPolicyInput,
  ): Promise<SavedPolicy<EligibilityPolicy>>;
  deleteEligibilityPolicy(id: string): Promise<void>;
  listApproverPolicies(): Promise<{ items: ApproverPolicy[] }>;
  createApproverPolicy(input: ApproverPolicyInput): Promise<ApproverPolicy>;
  updateApproverPolicy(
    id: string,
    input: ApproverPolicyInput,
  ): Promise<ApproverPolicy>;
  deleteApproverPolicy(id: string): Promise<void>;
  updateSettings(input: SettingsInput): Promise<SettingsResponse>;
  getTargets(): Promise<TargetsResponse>;
}

/**
 * @public
 */
export const elevatedAccessApiRef = createApiRef<ElevatedAccessApi>({
  id: 'plugin.elevated-access.service',
});
