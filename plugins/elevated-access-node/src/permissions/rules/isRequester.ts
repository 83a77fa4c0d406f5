import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { elevatedAccessRequestResourceRef } from '../resourceRef';
import { lowerRef, lowerRefs } from './refs';

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
  // refs compare case-insensitively; the plugin stores them lower-cased
  apply: (request, { claims }) =>
    lowerRefs(claims).includes(lowerRef(request.requesterRef)),
  toQuery: ({ claims }) => ({
    property: 'requesterRef',
    values: lowerRefs(claims),
  }),
});
