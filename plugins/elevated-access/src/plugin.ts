import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { elevatedAccessApiRef } from './api/ElevatedAccessApi';
import { ElevatedAccessClient } from './api/ElevatedAccessClient';
import { requestRouteRef, rootRouteRef } from './routes';

/**
 * The Elevated Access frontend plugin (legacy frontend system).
 *
 * @public
 */
export const elevatedAccessPlugin = createPlugin({
  id: 'elevated-access',
  routes: {
    root: rootRouteRef,
    request: requestRouteRef,
  },
  apis: [
    createApiFactory({
      api: elevatedAccessApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new ElevatedAccessClient(deps),
    }),
  ],
});

/**
 * The Elevated Access page: request access, approvals, active access, audit
 * and admin, each shown to the personas who may use it.
 *
 * @public
 */
export const ElevatedAccessPage = elevatedAccessPlugin.provide(
  createRoutableExtension({
    name: 'ElevatedAccessPage',
    component: () =>
      import('./components/ElevatedAccessPage').then(m => m.ElevatedAccessPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The sidebar entry for the Elevated Access page.
 *
 * @public
 */
export const ElevatedAccessSidebarItem = elevatedAccessPlugin.provide(
  createComponentExtension({
    name: 'ElevatedAccessSidebarItem',
    component: {
      lazy: () =>
        import('./components/ElevatedAccessSidebarItem').then(
          m => m.ElevatedAccessSidebarItem,
        ),
    },
  }),
);

/**
 * The "Elevated access" card for entity pages (components, systems and
 * resources about AWS accounts): who holds access to the entity's accounts
 * now, and what the signed-in person may request there. Show it where
 * `isElevatedAccessAvailable` holds.
 *
 * @public
 */
export const EntityElevatedAccessCard = elevatedAccessPlugin.provide(
  createComponentExtension({
    name: 'EntityElevatedAccessCard',
    component: {
      lazy: () =>
        import('./components/EntityElevatedAccessCard').then(
          m => m.EntityElevatedAccessCard,
        ),
    },
  }),
);
