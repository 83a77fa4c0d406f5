import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { elevatedAccessRequestResourceRef } from '../resourceRef';

/**
 * Matches requests whose approvers (snapshotted at creation) include one of the
 * given users or groups.
 *
 * @public
 */
export const isApprover = createPermissionRule({
  name: 'IS_APPROVER',
  description:
    'Allow requests for which the caller or one of their groups is an approver',
  resourceRef: elevatedAccessRequestResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        'User and group entity refs, e.g. the caller and their groups ($ownerRefs)',
      ),
  }),
  apply: (request, { claims }) =>
    request.approverRefs.some(ref => claims.includes(ref)),
  toQuery: ({ claims }) => ({ property: 'approverRef', values: claims }),
});
