import { SidebarItem } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import LockOpenIcon from '@material-ui/icons/LockOpen';
import { rootRouteRef } from '../../routes';

/** The sidebar entry for the Elevated Access page. */
export const ElevatedAccessSidebarItem = () => {
  const link = useRouteRef(rootRouteRef);
  return <SidebarItem icon={LockOpenIcon} to={link()} text="Elevated access" />;
};
