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
import { Entity } from '@backstage/catalog-model';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import LockOpenIcon from '@material-ui/icons/LockOpen';
import { elevatedAccessApiRef } from './api/ElevatedAccessApi';
import { ElevatedAccessClient } from './api/ElevatedAccessClient';
import { isElevatedAccessAvailable } from './components/EntityElevatedAccessCard/isElevatedAccessAvailable';
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

const CARD_KINDS = ['component', 'system', 'resource'];

/**
 * Whether the Elevated access card belongs on an entity's page: a
 * component, system or resource that may be about AWS accounts.
 */
function showsElevatedAccessCard(entity: Entity): boolean {
  return (
    CARD_KINDS.includes(entity.kind.toLocaleLowerCase('en-US')) &&
    isElevatedAccessAvailable(entity)
  );
}

/**
 * The Elevated access card on the overview of components, systems and
 * resources about AWS accounts (`entity-card:elevated-access`).
 *
 * @alpha
 */
export const elevatedAccessEntityCard = EntityCardBlueprint.make({
  // unnamed: the plugin's one entity card, `entity-card:elevated-access`
  params: {
    filter: showsElevatedAccessCard,
    loader: () =>
      import('./components/EntityElevatedAccessCard').then(m =>
        compatWrapper(<m.EntityElevatedAccessCard />),
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
  extensions: [elevatedAccessApi, elevatedAccessPage, elevatedAccessEntityCard],
});
