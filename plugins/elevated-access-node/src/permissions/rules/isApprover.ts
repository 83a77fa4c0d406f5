import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { elevatedAccessRequestResourceRef } from '../resourceRef';
import { lowerRef, lowerRefs } from './refs';

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
  // refs compare case-insensitively; the plugin stores them lower-cased
  apply: (request, { claims }) => {
    const held = lowerRefs(claims);
    return request.approverRefs.some(ref => held.includes(lowerRef(ref)));
  },
  toQuery: ({ claims }) => ({
    property: 'approverRef',
    values: lowerRefs(claims),
  }),
});
