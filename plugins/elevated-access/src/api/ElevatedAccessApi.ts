import { createApiRef } from '@backstage/core-plugin-api';

/**
 * The Elevated Access backend API, as the browser uses it.
 *
 * @public
 */
export interface ElevatedAccessApi {
  /** Whether the backend plugin answers. */
  health(): Promise<{ status: string }>;
}

/**
 * @public
 */
export const elevatedAccessApiRef = createApiRef<ElevatedAccessApi>({
  id: 'plugin.elevated-access.service',
});
