import {
  AccessRequest,
  AccessRequestDetail,
  ApproverPolicy,
  ApproveInput,
  CommentInput,
  CreateRequestInput,
  EligibilityQuery,
  EligibilityResponse,
  EligibleAccountsQuery,
  EligibleAccountsResponse,
  ListRequestsQuery,
  MeResponse,
  Page,
  ReviewInput,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Knex } from 'knex';
import { StoredRequest } from '../database/RequestStore';
import { AccountOwnership } from '../domain/approvers';
import { OrgTree } from '../domain/OrgTree';
import { CallContext } from './AccessControl';
import { RequestActions } from './requests/RequestActions';
import { RequestApprovers } from './requests/RequestApprovers';
import { RequestCreation } from './requests/RequestCreation';
import { RequestEligibility } from './requests/RequestEligibility';
import { ListView, RequestReads } from './requests/RequestReads';
import { RequestServiceDeps } from './requests/RequestServiceDeps';
import { RequestViews } from './requests/RequestViews';

export type { ListView } from './requests/RequestReads';

/**
 * The request lifecycle's human side: create, list, read, approve, reject,
 * review, cancel, revoke and retry. Each action passes the permission
 * framework first and then the plugin's own rules (domain/rules); both must
 * allow it. The work is done by its parts in ./requests, one per
 * responsibility; this is what the router and the other services call.
 */
export class RequestService {
  private readonly requestEligibility: RequestEligibility;
  private readonly approvers: RequestApprovers;
  private readonly reads: RequestReads;
  private readonly creation: RequestCreation;
  private readonly actions: RequestActions;

  constructor(deps: RequestServiceDeps) {
    const requestEligibility = new RequestEligibility(deps);
    const approvers = new RequestApprovers(deps);
    const views = new RequestViews(deps);
    this.requestEligibility = requestEligibility;
    this.approvers = approvers;
    this.reads = new RequestReads({
      ...deps,
      approvers,
      views,
      requestEligibility,
    });
    this.creation = new RequestCreation({ ...deps, requestEligibility, views });
    this.actions = new RequestActions({ ...deps, approvers, views });
  }

  /** The form's account picker: eligible accounts matching a search. */
  eligibleAccounts(
    ctx: CallContext,
    query: EligibleAccountsQuery,
  ): Promise<EligibleAccountsResponse> {
    return this.requestEligibility.eligibleAccounts(ctx, query);
  }

  /** Every pair the caller may request (or one account's), with terms and approvers. */
  eligibility(
    ctx: CallContext,
    query: EligibilityQuery = {},
  ): Promise<EligibilityResponse> {
    return this.requestEligibility.eligibility(ctx, query);
  }

  /** What the catalog says of one account now (owners, sensitive). */
  ownershipNow(
    tree: OrgTree,
    accountId: string,
    approverPolicies: ApproverPolicy[],
  ): Promise<AccountOwnership> {
    return this.requestEligibility.ownershipNow(
      tree,
      accountId,
      approverPolicies,
    );
  }

  /** The approvers of a request's pair under today's policies and owners. */
  currentApproverRefs(request: {
    accountId: string;
    permissionSetArn: string;
  }): Promise<string[]> {
    return this.approvers.currentApproverRefs(request);
  }

  /** The caller's own standing in the plugin (GET /me). */
  me(ctx: CallContext): Promise<MeResponse> {
    return this.reads.me(ctx);
  }

  list(
    ctx: CallContext,
    query: ListRequestsQuery,
  ): Promise<Page<AccessRequest>> {
    return this.reads.list(ctx, query);
  }

  /** Every request of a list view, page by page (CSV exports). */
  exportPages(
    ctx: CallContext,
    query: ListView,
  ): Promise<AsyncIterable<StoredRequest[]>> {
    return this.reads.exportPages(ctx, query);
  }

  /** The requests of a list view as a subquery of ids (activity exports). */
  exportIds(
    ctx: CallContext,
    query: ListView,
  ): Promise<{ subquery: Knex.QueryBuilder } | 'none'> {
    return this.reads.exportIds(ctx, query);
  }

  /** Loads a request the caller may read, or throws 404 / 403. */
  readable(ctx: CallContext, id: string): Promise<StoredRequest> {
    return this.reads.readable(ctx, id);
  }

  get(ctx: CallContext, id: string): Promise<AccessRequestDetail> {
    return this.reads.get(ctx, id);
  }

  create(ctx: CallContext, input: CreateRequestInput): Promise<AccessRequest> {
    return this.creation.create(ctx, input);
  }

  decide(
    ctx: CallContext,
    id: string,
    decision: 'approve' | 'reject',
    input: ApproveInput,
  ): Promise<AccessRequest> {
    return this.actions.decide(ctx, id, decision, input);
  }

  review(
    ctx: CallContext,
    id: string,
    input: ReviewInput,
  ): Promise<AccessRequest> {
    return this.actions.review(ctx, id, input);
  }

  cancel(ctx: CallContext, id: string): Promise<AccessRequest> {
    return this.actions.cancel(ctx, id);
  }

  revoke(
    ctx: CallContext,
    id: string,
    input: CommentInput,
  ): Promise<AccessRequest> {
    return this.actions.revoke(ctx, id, input);
  }

  retry(ctx: CallContext, id: string): Promise<AccessRequest> {
    return this.actions.retry(ctx, id);
  }
}
