import { alertApiRef, configApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { ConfigReader } from '@backstage/config';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
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
    'getSettings',
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
      mountedRoutes: { '/elevated-access': rootRouteRef },
      routeEntries: options.routeEntries,
    },
  );
}
