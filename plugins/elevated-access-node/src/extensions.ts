import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { AccessProvider } from './providers/AccessProvider';
import { ActivitySource } from './providers/ActivitySource';

/**
 * Lets backend modules replace how Elevated Access grants access and reads
 * session activity. When nothing is set, the plugin uses AWS IAM Identity
 * Center and CloudTrail.
 *
 * @public
 */
export interface ElevatedAccessProvidersExtensionPoint {
  setAccessProvider(provider: AccessProvider): void;
  setActivitySource(source: ActivitySource): void;
}

/**
 * The extension point for access providers and activity sources.
 *
 * @public
 */
export const elevatedAccessProvidersExtensionPoint =
  createExtensionPoint<ElevatedAccessProvidersExtensionPoint>({
    id: 'elevated-access.providers',
  });
