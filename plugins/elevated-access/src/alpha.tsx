import {
  compatWrapper,
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import LockOpenIcon from '@material-ui/icons/LockOpen';
import { elevatedAccessApiRef } from './api/ElevatedAccessApi';
import { ElevatedAccessClient } from './api/ElevatedAccessClient';
import { requestRouteRef, rootRouteRef } from './routes';

/** The API, for apps on the new frontend system. @alpha */
export const elevatedAccessApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: elevatedAccessApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new ElevatedAccessClient(deps),
    }),
});

/** The Elevated Access page, with its nav item from the title and icon. @alpha */
export const elevatedAccessPage = PageBlueprint.make({
  params: {
    path: '/elevated-access',
    title: 'Elevated access',
    icon: <LockOpenIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    noHeader: true,
    loader: () =>
      import('./components/ElevatedAccessPage').then(m =>
        compatWrapper(<m.ElevatedAccessPage />),
      ),
  },
});

/**
 * Elevated Access for apps on the new frontend system:
 * `import elevatedAccessPlugin from '@elevated-access/backstage-plugin-elevated-access/alpha'`.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'elevated-access',
  title: 'Elevated access',
  icon: <LockOpenIcon />,
  routes: convertLegacyRouteRefs({
    root: rootRouteRef,
    request: requestRouteRef,
  }),
  extensions: [elevatedAccessApi, elevatedAccessPage],
});
