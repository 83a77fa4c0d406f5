import { useRouteRef } from '@backstage/core-plugin-api';
import { useLocation } from 'react-router-dom';
import { requestRouteRef } from '../../routes';

/** Where a request page was opened from, so it can offer the way back. */
export interface CameFrom {
  /** Path and query of the page, filters included. */
  path: string;
  /** The tab's name, e.g. "Audit". */
  label: string;
}

const TAB_LABELS: Record<string, string> = {
  request: 'Request access',
  requests: 'My requests',
  approvals: 'Approvals',
  decided: 'Decided',
  active: 'Active access',
  audit: 'Audit',
  insights: 'Insights',
  admin: 'Admin',
};

/** The tab a path belongs to, by its last segment. */
export function tabLabel(pathname: string): string {
  const last = pathname.replace(/\/+$/, '').split('/').pop() ?? '';
  return TAB_LABELS[last] ?? 'Elevated access';
}

/** The "came from" a request page was given, if it is one. */
export function cameFrom(state: unknown): CameFrom | undefined {
  const from = (state as { from?: CameFrom } | null)?.from;
  return from && typeof from.path === 'string' && typeof from.label === 'string'
    ? from
    : undefined;
}

/**
 * Link props to a request page that remember this page (with its filters),
 * e.g. `<Link {...requestLink(id)}>`; the request page's breadcrumb leads
 * back here.
 */
export function useRequestLink(): (id: string) => {
  to: string;
  state: { from: CameFrom };
} {
  const link = useRouteRef(requestRouteRef);
  const location = useLocation();
  return (id: string) => ({
    to: link({ id }),
    state: {
      from: {
        path: `${location.pathname}${location.search}`,
        label: tabLabel(location.pathname),
      },
    },
  });
}
