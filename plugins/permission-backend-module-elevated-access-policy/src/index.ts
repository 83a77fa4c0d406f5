/**
 * A permission policy module for `@backstage/plugin-permission-backend` that
 * gives Elevated Access permissions to the roles in `elevatedAccess.roles`
 * and allows every other plugin's permissions, like the allow-all policy it
 * replaces.
 *
 * @packageDocumentation
 */

export { permissionModuleElevatedAccessPolicy as default } from './module';
export {
  ElevatedAccessPermissionPolicy,
  readElevatedAccessRoles,
} from './module';
