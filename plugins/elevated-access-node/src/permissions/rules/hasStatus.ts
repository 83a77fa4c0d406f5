import { createPermissionRule } from '@backstage/plugin-permission-node';
import { REQUEST_STATUSES } from '@elevated-access/backstage-plugin-elevated-access-common';
import { z } from 'zod';
import { elevatedAccessRequestResourceRef } from '../resourceRef';

/**
 * Matches requests in one of the given statuses.
 *
 * @public
 */
export const hasStatus = createPermissionRule({
  name: 'HAS_STATUS',
  description: 'Allow requests in one of the given statuses',
  resourceRef: elevatedAccessRequestResourceRef,
  paramsSchema: z.object({
    statuses: z.array(z.enum(REQUEST_STATUSES)).describe('Request statuses'),
  }),
  apply: (request, { statuses }) => statuses.includes(request.status),
  toQuery: ({ statuses }) => ({ property: 'status', values: statuses }),
});
