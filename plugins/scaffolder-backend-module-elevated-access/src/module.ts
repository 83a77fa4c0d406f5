import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createElevatedAccessRequestAction } from './actions/requestElevatedAccess';

/**
 * Adds the `elevated-access:request` action to the scaffolder.
 *
 * @public
 */
export const scaffolderModuleElevatedAccess = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'elevated-access',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        config: coreServices.rootConfig,
      },
      async init({ scaffolderActions, auth, discovery, config }) {
        scaffolderActions.addActions(
          createElevatedAccessRequestAction({ auth, discovery, config }),
        );
      },
    });
  },
});
