import { SidebarItem } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { Badge } from '@material-ui/core';
import LockOpenIcon from '@material-ui/icons/LockOpen';
import { useCallback, useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { useLiveRefresh } from '../../hooks/useLiveRefresh';
import { rootRouteRef } from '../../routes';

/**
 * The sidebar entry, with the number of requests waiting for the caller's
 * decision; it updates live.
 */
export const ElevatedAccessSidebarItem = () => {
  const link = useRouteRef(rootRouteRef);
  const api = useApi(elevatedAccessApiRef);
  const me = useAsyncRetry(() => api.me(), [api]);
  useLiveRefresh(useCallback(() => me.retry(), [me]));
  const pending = me.value?.pendingApprovals ?? 0;
  // The count is shown on the icon but hidden from assistive technology: the
  // link's name says it in words and still begins with its visible text
  // (axe: label-content-name-mismatch).
  const Icon = useMemo(
    () => () =>
      (
        <Badge
          badgeContent={pending}
          color="secondary"
          overlap="rectangular"
          data-testid="pending-approvals-badge"
          aria-hidden="true"
        >
          <LockOpenIcon />
        </Badge>
      ),
    [pending],
  );
  const text = 'Elevated access';
  return (
    <SidebarItem
      icon={Icon}
      to={pending ? `${link()}/approvals` : link()}
      text={text}
      aria-label={
        pending
          ? `${text}, ${pending} ${
              pending === 1 ? 'request waits' : 'requests wait'
            } for your approval`
          : text
      }
    />
  );
};
