import { z } from 'zod';
import { commentBodySchema, createRequestSchema } from './schemas';

/**
 * `POST /requests/:id/extend`: how much longer the access should last
 * (minutes added to the current end) and why. The extension is judged as if
 * the request had asked for its whole window from the grant.
 *
 * @public
 */
export const extendBodySchema = z.strictObject({
  durationMinutes: createRequestSchema.shape.durationMinutes,
  justification: createRequestSchema.shape.justification,
});

/** @public */
export type ExtendInput = z.infer<typeof extendBodySchema>;

/**
 * `POST /requests/:id/extension/approve` and `/extension/reject`: a comment
 * (required to reject when the settings say so).
 *
 * @public
 */
export const extensionDecisionBodySchema = commentBodySchema;

/**
 * Where an extension stands: `pending` (waiting for approvers, the access
 * continues unchanged), `approved` (the end moved), `rejected`, or `lapsed`
 * (the access ended before anyone decided).
 *
 * @public
 */
export type ExtensionStatus = 'pending' | 'approved' | 'rejected' | 'lapsed';

/**
 * One extension of an active request.
 *
 * @public
 */
export interface RequestExtension {
  id: string;
  requestId: string;
  requesterRef: string;
  /** Minutes added to the end. */
  addedMinutes: number;
  /** The whole window from the grant, were it extended. */
  totalMinutes: number;
  justification: string;
  status: ExtensionStatus;
  approvalRequired: boolean;
  minApprovals: number;
  approvals: number;
  approverRefs: string[];
  /** The end before the extension. */
  previousEndTime: string;
  /** The end after it, once approved. */
  newEndTime?: string;
  decidedBy?: string;
  decisionComment?: string;
  createdAt: string;
  decidedAt?: string;
}

/**
 * `GET /requests/:id/extension`: the request's extensions (newest first) and
 * what the caller may do about them.
 *
 * @public
 */
export interface RequestExtensionsResponse {
  /** The requester may ask for more time (the request is active, nothing pending). */
  canExtend: boolean;
  /** The pending extension, if any. */
  pending?: RequestExtension & {
    /** The caller may approve or reject it (an approver in scope, not the requester, no vote yet). */
    canDecide: boolean;
  };
  extensions: RequestExtension[];
}
