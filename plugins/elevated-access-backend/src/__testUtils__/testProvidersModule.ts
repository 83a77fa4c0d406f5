import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AccessProvider,
  ActivitySource,
  elevatedAccessProvidersExtensionPoint,
} from '@elevated-access/backstage-plugin-elevated-access-node';

/**
 * Gives the plugin the test's access provider and activity source (each
 * when given; without a provider the plugin uses its own AWS provider).
 * Free of jest, so the benchmarks' backend and other packages' tests use it
 * too.
 */
export function testProvidersModule(
  provider?: AccessProvider,
  activitySource?: ActivitySource,
) {
  return createBackendModule({
    pluginId: 'elevated-access',
    moduleId: 'test-providers',
    register(reg) {
      reg.registerInit({
        deps: { providers: elevatedAccessProvidersExtensionPoint },
        async init({ providers }) {
          if (provider) providers.setAccessProvider(provider);
          if (activitySource) providers.setActivitySource(activitySource);
        },
      });
    },
  });
}
