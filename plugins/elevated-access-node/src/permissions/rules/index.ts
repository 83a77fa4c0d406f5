import { hasAccount } from './hasAccount';
import { hasStatus } from './hasStatus';
import { isApprover } from './isApprover';
import { isRequester } from './isRequester';

export { hasAccount, hasStatus, isApprover, isRequester };

/**
 * Every permission rule for access requests.
 *
 * @public
 */
export const elevatedAccessRequestRules = {
  isRequester,
  isApprover,
  hasAccount,
  hasStatus,
};
