import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  decideElevatedAccessPermission,
  ElevatedAccessRoles,
} from '@elevated-access/backstage-plugin-elevated-access-node';
import { Config } from '@backstage/config';

/**
 * Reads `elevatedAccess.roles` (entity refs of the admin and auditor groups).
 *
 * @public
 */
export function readElevatedAccessRoles(config: Config): ElevatedAccessRoles {
  return {
    admins: config.getOptionalStringArray('elevatedAccess.roles.admins') ?? [],
    auditors:
      config.getOptionalStringArray('elevatedAccess.roles.auditors') ?? [],
  };
}

/**
 * Elevated Access permissions follow the role mapping from
 * `elevatedAccess.roles`; every other plugin's permissions are allowed, as
 * with the allow-all policy this replaces. Adopters with a policy of their
 * own call `decideElevatedAccessPermission` from it instead.
 *
 * @public
 */
export class ElevatedAccessPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly userInfo: UserInfoService,
    private readonly roles: ElevatedAccessRoles,
  ) {}

  async handle(
    query: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const info = user
      ? await this.userInfo.getUserInfo(user.credentials)
      : undefined;
    return (
      decideElevatedAccessPermission(query, info, this.roles) ?? {
        result: AuthorizeResult.ALLOW,
      }
    );
  }
}

/**
 * Sets the permission policy to {@link ElevatedAccessPermissionPolicy}. A
 * backend has one policy: remove the allow-all policy module when adding this.
 *
 * @public
 */
export const permissionModuleElevatedAccessPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'elevated-access-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
        config: coreServices.rootConfig,
      },
      async init({ policy, userInfo, config }) {
        policy.setPolicy(
          new ElevatedAccessPermissionPolicy(
            userInfo,
            readElevatedAccessRoles(config),
          ),
        );
      },
    });
  },
});
