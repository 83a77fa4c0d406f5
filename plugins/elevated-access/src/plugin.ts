import {
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';

import { rootRouteRef } from './routes';

export const elevatedAccessPlugin = createPlugin({
  id: 'elevated-access',
  routes: {
    root: rootRouteRef,
  },
});

export const ElevatedAccessPage = elevatedAccessPlugin.provide(
  createRoutableExtension({
    name: 'ElevatedAccessPage',
    component: () =>
      import('./components/ExampleComponent').then(m => m.ExampleComponent),
    mountPoint: rootRouteRef,
  }),
);
