import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { AwsOrganizationEntityProvider } from './AwsOrganizationEntityProvider';
import { AwsOrganizationReader } from './AwsOrganizationReader';
import { readCatalogModuleSettings } from './config';

/**
 * Writes the AWS organisation's accounts and OUs into the catalog as
 * `Resource` entities (`elevatedAccess.catalog`).
 *
 * @public
 */
export const catalogModuleElevatedAccessAwsAccounts = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'elevated-access-aws-accounts',
  register({ registerInit }) {
    registerInit({
      deps: {
        processing: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ processing, config, logger, scheduler, auth, catalog }) {
        const settings = readCatalogModuleSettings(config);
        processing.addEntityProvider(
          new AwsOrganizationEntityProvider({
            settings,
            reader: new AwsOrganizationReader(settings.aws),
            catalog,
            auth,
            logger,
            scheduler,
          }),
        );
      },
    });
  },
});
