import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Caller, intersects } from '../refs';

/**
 * Whether the caller is an approver of this request: in the snapshot taken at
 * creation and still an approver under the current policies.
 */
export function isApproverInScope(
  caller: Caller,
  request: Pick<AccessRequest, 'approverRefs'>,
  currentApproverRefs: string[],
): boolean {
  return (
    intersects(caller.ownershipEntityRefs, request.approverRefs) &&
    intersects(caller.ownershipEntityRefs, currentApproverRefs)
  );
}
