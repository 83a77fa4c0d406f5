import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { elevatedAccessBasicPermissions } from '@internal/backstage-plugin-elevated-access-common';
import { createRouter } from './service/router';

/**
 * The Elevated Access backend plugin.
 *
 * @public
 */
export const elevatedAccessPlugin = createBackendPlugin({
  pluginId: 'elevated-access',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({ httpRouter, permissionsRegistry }) {
        permissionsRegistry.addPermissions(elevatedAccessBasicPermissions);
        httpRouter.use(await createRouter());
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
