import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AccessRequest,
  AccessRequestDetail,
  ActivityPage,
  ApproverPolicy,
  ApproverPolicyInput,
  ConfigChange,
  DecisionRecord,
  AuditInsights,
  CreateRequestInput,
  EligibilityPolicy,
  EligibilityPolicyInput,
  SavedPolicy,
  EligibilityResponse,
  EligibleAccountsResponse,
  EntityAccessResponse,
  InsightsBucket,
  MeResponse,
  Page,
  RequestExtension,
  RequestExtensionsResponse,
  SettingsInput,
  SettingsResponse,
  TargetsResponse,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  ChangeListQuery,
  DecisionListQuery,
  DownloadOptions,
  ElevatedAccessApi,
  RequestExportFilters,
  RequestListQuery,
  ReviewOutcome,
} from './ElevatedAccessApi';

type QueryValue = string | number | boolean | string[] | undefined;

function toQuery(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) search.set(key, value.join(','));
    } else {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Talks to the Elevated Access backend with the signed-in user's token.
 *
 * @public
 */
export class ElevatedAccessClient implements ElevatedAccessApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  me(): Promise<MeResponse> {
    return this.json('/me');
  }

  getEligibility(
    query: { accountId?: string } = {},
  ): Promise<EligibilityResponse> {
    return this.json(`/eligibility${toQuery({ ...query })}`);
  }

  searchEligibleAccounts(query: {
    q?: string;
    limit?: number;
  }): Promise<EligibleAccountsResponse> {
    return this.json(`/eligibility/accounts${toQuery({ ...query })}`);
  }

  getSettings(): Promise<SettingsResponse> {
    return this.json('/settings');
  }

  getEntityAccess(entityRef: string): Promise<EntityAccessResponse> {
    return this.json(`/entity-access${toQuery({ entityRef })}`);
  }

  createRequest(input: CreateRequestInput): Promise<AccessRequest> {
    return this.json('/requests', { method: 'POST', body: input });
  }

  listRequests(query: RequestListQuery): Promise<Page<AccessRequest>> {
    return this.json(`/requests${toQuery({ ...query })}`);
  }

  getRequest(id: string): Promise<AccessRequestDetail> {
    return this.json(`/requests/${encodeURIComponent(id)}`);
  }

  approve(
    id: string,
    comment?: string,
    durationMinutes?: number,
  ): Promise<AccessRequest> {
    return this.action(id, 'approve', { comment, durationMinutes });
  }

  reject(id: string, comment?: string): Promise<AccessRequest> {
    return this.action(id, 'reject', { comment });
  }

  cancel(id: string): Promise<AccessRequest> {
    return this.action(id, 'cancel', {});
  }

  revoke(id: string, comment?: string): Promise<AccessRequest> {
    return this.action(id, 'revoke', { comment });
  }

  retry(id: string): Promise<AccessRequest> {
    return this.action(id, 'retry', {});
  }

  review(
    id: string,
    outcome: ReviewOutcome,
    comment?: string,
  ): Promise<AccessRequest> {
    return this.action(id, 'review', { outcome, comment });
  }

  getExtensions(id: string): Promise<RequestExtensionsResponse> {
    return this.json(`/requests/${encodeURIComponent(id)}/extension`);
  }

  extend(
    id: string,
    durationMinutes: number,
    justification: string,
  ): Promise<RequestExtension> {
    return this.json(`/requests/${encodeURIComponent(id)}/extend`, {
      method: 'POST',
      body: { durationMinutes, justification },
    });
  }

  decideExtension(
    id: string,
    decision: 'approve' | 'reject',
    comment?: string,
  ): Promise<RequestExtension> {
    return this.json(
      `/requests/${encodeURIComponent(id)}/extension/${decision}`,
      { method: 'POST', body: { comment } },
    );
  }

  getActivity(
    id: string,
    query: { q?: string; cursor?: string; limit?: number } = {},
  ): Promise<ActivityPage> {
    return this.json(
      `/requests/${encodeURIComponent(id)}/activity${toQuery(query)}`,
    );
  }

  downloadRequestsCsv(query: RequestExportFilters, options?: DownloadOptions) {
    return this.blob(`/audit/requests.csv${toQuery({ ...query })}`, options);
  }

  downloadDecidedCsv(query: RequestExportFilters, options?: DownloadOptions) {
    return this.blob(`/requests/decided.csv${toQuery({ ...query })}`, options);
  }

  downloadActivityCsv(
    query: RequestExportFilters & { requestId?: string; q?: string },
    options?: DownloadOptions,
  ) {
    return this.blob(`/audit/activity.csv${toQuery({ ...query })}`, options);
  }

  getInsights(query: {
    from?: string;
    to?: string;
    bucket?: InsightsBucket;
  }): Promise<AuditInsights> {
    return this.json(`/audit/insights${toQuery(query)}`);
  }

  listDecisions(query: DecisionListQuery): Promise<Page<DecisionRecord>> {
    return this.json(`/audit/decisions${toQuery({ ...query })}`);
  }

  downloadDecisionsCsv(
    query: Omit<DecisionListQuery, 'cursor' | 'limit'>,
    options?: DownloadOptions,
  ) {
    return this.blob(`/audit/decisions.csv${toQuery({ ...query })}`, options);
  }

  listChanges(query: ChangeListQuery): Promise<Page<ConfigChange>> {
    return this.json(`/audit/changes${toQuery({ ...query })}`);
  }

  listEligibilityPolicies(): Promise<{ items: EligibilityPolicy[] }> {
    return this.json('/policies/eligibility');
  }

  createEligibilityPolicy(
    input: EligibilityPolicyInput,
  ): Promise<SavedPolicy<EligibilityPolicy>> {
    return this.json('/policies/eligibility', { method: 'POST', body: input });
  }

  updateEligibilityPolicy(id: string, input: EligibilityPolicyInput) {
    return this.json<SavedPolicy<EligibilityPolicy>>(
      `/policies/eligibility/${encodeURIComponent(id)}`,
      {
        method: 'PUT',
        body: input,
      },
    );
  }

  async deleteEligibilityPolicy(id: string): Promise<void> {
    await this.send(`/policies/eligibility/${encodeURIComponent(id)}`, {
      method: 'DELETE',
    });
  }

  listApproverPolicies(): Promise<{ items: ApproverPolicy[] }> {
    return this.json('/policies/approval');
  }

  createApproverPolicy(input: ApproverPolicyInput): Promise<ApproverPolicy> {
    return this.json('/policies/approval', { method: 'POST', body: input });
  }

  updateApproverPolicy(id: string, input: ApproverPolicyInput) {
    return this.json<ApproverPolicy>(
      `/policies/approval/${encodeURIComponent(id)}`,
      {
        method: 'PUT',
        body: input,
      },
    );
  }

  async deleteApproverPolicy(id: string): Promise<void> {
    await this.send(`/policies/approval/${encodeURIComponent(id)}`, {
      method: 'DELETE',
    });
  }

  updateSettings(input: SettingsInput): Promise<SettingsResponse> {
    return this.json('/settings', { method: 'PUT', body: input });
  }

  getTargets(): Promise<TargetsResponse> {
    return this.json('/targets');
  }

  private action(
    id: string,
    verb: string,
    body: object,
  ): Promise<AccessRequest> {
    return this.json(`/requests/${encodeURIComponent(id)}/${verb}`, {
      method: 'POST',
      body,
    });
  }

  private async send(
    path: string,
    init?: { method?: string; body?: unknown },
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('elevated-access');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method: init?.method ?? 'GET',
      headers:
        init?.body !== undefined
          ? { 'Content-Type': 'application/json' }
          : undefined,
      body: init?.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  private async json<T>(
    path: string,
    init?: { method?: string; body?: unknown },
  ): Promise<T> {
    return (await (await this.send(path, init)).json()) as T;
  }

  /** Reads a streamed download, reporting the bytes received as they come. */
  private async blob(path: string, options?: DownloadOptions): Promise<Blob> {
    const response = await this.send(path);
    const reader = options?.onProgress ? response.body?.getReader() : undefined;
    if (!reader) return response.blob();
    const chunks: Uint8Array[] = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      options!.onProgress!(received);
    }
    return new Blob(chunks as BlobPart[], {
      type: response.headers.get('Content-Type') ?? 'text/csv',
    });
  }
}
