import {
  alertApiRef,
  configApiRef,
  RouteRef,
} from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { ConfigReader } from '@backstage/config';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EligibilityResponse,
  EligibleAccountsResponse,
  MeResponse,
  SettingsResponse,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { ReactElement } from 'react';
import {
  ElevatedAccessApi,
  elevatedAccessApiRef,
} from '../api/ElevatedAccessApi';
import { ElevatedAccessProvider } from '../hooks/useElevatedAccess';
import { rootRouteRef } from '../routes';
import { me as meFixture, settings as settingsFixture } from './fixtures';

/** Every API method as a jest mock that fails unless a test gives it an answer. */
export function mockApi(
  overrides: Partial<jest.Mocked<ElevatedAccessApi>> = {},
) {
  const names: Array<keyof ElevatedAccessApi> = [
    'me',
    'getEligibility',
    'searchEligibleAccounts',
    'getSettings',
    'getEntityAccess',
    'createRequest',
    'listRequests',
    'getRequest',
    'approve',
    'reject',
    'cancel',
    'revoke',
    'retry',
    'review',
    'getExtensions',
    'extend',
    'decideExtension',
    'getActivity',
    'downloadRequestsCsv',
    'downloadActivityCsv',
    'downloadDecidedCsv',
    'getInsights',
    'listDecisions',
    'downloadDecisionsCsv',
    'listChanges',
    'listEligibilityPolicies',
    'createEligibilityPolicy',
    'updateEligibilityPolicy',
    'deleteEligibilityPolicy',
    'listApproverPolicies',
    'createApproverPolicy',
    'updateApproverPolicy',
    'deleteApproverPolicy',
    'updateSettings',
    'getTargets',
  ];
  const api = Object.fromEntries(
    names.map(n => [
      n,
      jest.fn().mockRejectedValue(new Error(`unexpected call: ${n}`)),
    ]),
  ) as unknown as jest.Mocked<ElevatedAccessApi>;
  return Object.assign(api, overrides);
}

/**
 * The form's eligibility calls answered from one full `GET /eligibility`
 * answer, the way the server answers them: the account search (name, id or
 * OU path, case-insensitive; the exact id, then names starting with the
 * text, then the rest, each in name order) and one account's pairs.
 */
export function eligibilityCalls(full: EligibilityResponse) {
  const searchEligibleAccounts = jest.fn(
    async (query: { q?: string; limit?: number }) => {
      const q = (query.q ?? '').trim().toLocaleLowerCase('en-US');
      const limit = query.limit ?? 50;
      const rank = (a: EligibilityResponse['accounts'][number]) => {
        const name = a.name.toLocaleLowerCase('en-US');
        const path = a.ouPath
          .map(o => o.name)
          .join(' / ')
          .toLocaleLowerCase('en-US');
        if (!q) return 2;
        if (a.id === q) return 0;
        if (name.startsWith(q)) return 1;
        return name.includes(q) || a.id.includes(q) || path.includes(q)
          ? 2
          : undefined;
      };
      const matched = full.accounts
        .map(a => ({ a, r: rank(a) }))
        .filter(x => x.r !== undefined)
        .sort((x, y) => x.r! - y.r! || x.a.name.localeCompare(y.a.name))
        .map(x => ({
          ...x.a,
          permissionSetCount: full.pairs.filter(p => p.accountId === x.a.id)
            .length,
        }));
      const answer: EligibleAccountsResponse = {
        items: matched.slice(0, limit),
        total: matched.length,
        truncated: matched.length > limit,
      };
      return answer;
    },
  );
  const getEligibility = jest.fn(async (query: { accountId?: string } = {}) => {
    if (query.accountId === undefined) return full;
    const pairs = full.pairs.filter(p => p.accountId === query.accountId);
    const arns = new Set(pairs.map(p => p.permissionSetArn));
    return {
      accounts: full.accounts.filter(a => a.id === query.accountId),
      permissionSets: full.permissionSets.filter(p => arns.has(p.arn)),
      pairs,
    };
  });
  return { searchEligibleAccounts, getEligibility };
}

export const alerts = { post: jest.fn(), alert$: jest.fn() };

/** Renders a page part with the API, the caller and the settings in place. */
export async function renderWith(
  ui: ReactElement,
  options: {
    api: jest.Mocked<ElevatedAccessApi>;
    me?: MeResponse;
    settings?: SettingsResponse;
    catalogEntities?: object[];
    config?: object;
    routeEntries?: string[];
    /** Routes besides the plugin's, e.g. the catalog's entity page. */
    mountedRoutes?: Record<string, RouteRef>;
  },
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [elevatedAccessApiRef, options.api],
        [alertApiRef, alerts],
        [configApiRef, new ConfigReader(options.config ?? {})],
        [
          catalogApiRef,
          {
            getEntities: jest
              .fn()
              .mockResolvedValue({ items: options.catalogEntities ?? [] }),
          },
        ],
      ]}
    >
      <ElevatedAccessProvider
        value={{
          me: options.me ?? meFixture(),
          settings: options.settings ?? settingsFixture,
          refreshMe: jest.fn(),
        }}
      >
        {ui}
      </ElevatedAccessProvider>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/elevated-access': rootRouteRef,
        ...options.mountedRoutes,
      },
      routeEntries: options.routeEntries,
    },
  );
}
