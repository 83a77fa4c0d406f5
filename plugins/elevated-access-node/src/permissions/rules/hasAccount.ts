import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { elevatedAccessRequestResourceRef } from '../resourceRef';

/**
 * Matches requests for one of the given AWS accounts.
 *
 * @public
 */
export const hasAccount = createPermissionRule({
  name: 'HAS_ACCOUNT',
  description: 'Allow requests for one of the given AWS account ids',
  resourceRef: elevatedAccessRequestResourceRef,
  paramsSchema: z.object({
    accountIds: z
      .array(z.string().regex(/^\d{12}$/))
      .describe('12-digit AWS account ids'),
  }),
  apply: (request, { accountIds }) => accountIds.includes(request.accountId),
  toQuery: ({ accountIds }) => ({ property: 'accountId', values: accountIds }),
});
