import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import {
  ELEVATED_ACCESS_PLUGIN_ID,
  ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE,
  RequestStatus,
} from '@elevated-access/backstage-plugin-elevated-access-common';

/**
 * What permission rules see of an access request.
 *
 * @public
 */
export interface ElevatedAccessRequestResource {
  id: string;
  /** Entity ref of the user who asked for access. */
  requesterRef: string;
  accountId: string;
  permissionSetArn: string;
  status: RequestStatus;
  /** User and group refs snapshotted as approvers when the request was created. */
  approverRefs: string[];
}

/**
 * A query fragment that a permission rule turns into; the backend translates
 * it to SQL, so conditional decisions filter list views in the database.
 *
 * @public
 */
export type ElevatedAccessRequestQuery =
  | { property: 'requesterRef'; values: string[] }
  | { property: 'approverRef'; values: string[] }
  | { property: 'accountId'; values: string[] }
  | { property: 'status'; values: RequestStatus[] };

/**
 * The permission resource ref of access requests.
 *
 * @public
 */
export const elevatedAccessRequestResourceRef = createPermissionResourceRef<
  ElevatedAccessRequestResource,
  ElevatedAccessRequestQuery
>().with({
  pluginId: ELEVATED_ACCESS_PLUGIN_ID,
  resourceType: ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE,
});
