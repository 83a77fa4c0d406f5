import { createApiRef } from '@backstage/core-plugin-api';
import {
  AccessRequest,
  AccessRequestDetail,
  ActivityPage,
  ApproverPolicy,
  ApproverPolicyInput,
  CreateRequestInput,
  EligibilityPolicy,
  EligibilityPolicyInput,
  EligibilityResponse,
  MeResponse,
  Page,
  RequestStatus,
  SettingsInput,
  SettingsResponse,
  TargetsResponse,
} from '@elevated-access/backstage-plugin-elevated-access-common';

/**
 * Filters of the request lists.
 *
 * @public
 */
export interface RequestListQuery {
  view: 'mine' | 'approvals' | 'all';
  status?: RequestStatus[];
  accountId?: string;
  requester?: string;
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
  getEligibility(): Promise<EligibilityResponse>;
  getSettings(): Promise<SettingsResponse>;
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
  getActivity(
    id: string,
    query?: { q?: string; cursor?: string; limit?: number },
  ): Promise<ActivityPage>;
  /** The CSV of requests (auditors, admins). */
  downloadRequestsCsv(
    query: {
      from?: string;
      to?: string;
      status?: RequestStatus[];
    },
    options?: DownloadOptions,
  ): Promise<Blob>;
  /** The CSV of session activity, of one request or of a period. */
  downloadActivityCsv(
    query: {
      requestId?: string;
      from?: string;
      to?: string;
    },
    options?: DownloadOptions,
  ): Promise<Blob>;
  listEligibilityPolicies(): Promise<{ items: EligibilityPolicy[] }>;
  createEligibilityPolicy(
    input: EligibilityPolicyInput,
  ): Promise<EligibilityPolicy>;
  updateEligibilityPolicy(
    id: string,
    input: EligibilityPolicyInput,
  ): Promise<EligibilityPolicy>;
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
