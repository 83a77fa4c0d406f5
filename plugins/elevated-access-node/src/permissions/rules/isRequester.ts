import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { elevatedAccessRequestResourceRef } from '../resourceRef';

/**
 * Matches requests made by one of the given users.
 *
 * @public
 */
export const isRequester = createPermissionRule({
  name: 'IS_REQUESTER',
  description: 'Allow requests made by one of the given users',
  resourceRef: elevatedAccessRequestResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('User entity refs, e.g. the current user ($currentUser)'),
  }),
  apply: (request, { claims }) => claims.includes(request.requesterRef),
  toQuery: ({ claims }) => ({ property: 'requesterRef', values: claims }),
});
