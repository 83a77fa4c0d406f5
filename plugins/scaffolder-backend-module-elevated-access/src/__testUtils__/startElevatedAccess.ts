import { DiscoveryService } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// The tests drive the real plugin over HTTP; only test code imports it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import elevatedAccessPlugin from '@elevated-access/backstage-plugin-elevated-access-backend';
import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
// The backend's own test module handing the plugin a provider; only tests
// import it.
// eslint-disable-next-line @backstage/no-forbidden-package-imports, @backstage/no-mixed-plugin-imports
import { testProvidersModule } from '@elevated-access/backstage-plugin-elevated-access-backend/src/__testUtils__/testProvidersModule';
import {
  APPROVERS,
  catalogEntities,
  ELIGIBILITY,
  ownershipOf,
  testTargets,
  userRef,
} from './fixtures';
import { InMemoryAccessProvider } from '@elevated-access/backstage-plugin-elevated-access-node/testUtils';

/** A database client as `TestDatabases` gives it. */
export type TestKnex = Awaited<ReturnType<TestDatabases['init']>>;

/** Users sign in with their catalog groups as ownership refs. */
const userInfoFactory = mockServices.userInfo.mock({
  async getUserInfo(credentials) {
    const ref = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return {
      userEntityRef: ref,
      ownershipEntityRefs: ownershipOf(ref.split('/').pop()!),
    };
  },
}).factory;

/**
 * The real Elevated Access backend plugin in a test backend listening on a
 * port: an in-memory access provider, a catalog with alice, bob and dave, a
 * SQLite database and the fixture policies (created through the admin API).
 * With the default mock permissions everything is allowed at the permission
 * layer; the plugin's own eligibility rules still apply.
 */
export async function startElevatedAccess(knex: TestKnex) {
  const backend = await startTestBackend({
    features: [
      elevatedAccessPlugin,
      testProvidersModule(new InMemoryAccessProvider(testTargets())),
      mockServices.database.factory({ knex }),
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      // the tests see a request as the action left it: no due timer grants
      // it behind their back
      mockServices.rootConfig.factory({
        data: { elevatedAccess: { schedule: { dueTimers: false } } },
      }),
      catalogServiceMock.factory({ entities: catalogEntities() }),
      userInfoFactory,
    ],
  });

  const baseUrl = `http://localhost:${backend.server.port()}/api/elevated-access`;
  const discovery: DiscoveryService = {
    getBaseUrl: async pluginId =>
      `http://localhost:${backend.server.port()}/api/${pluginId}`,
    getExternalBaseUrl: async pluginId =>
      `http://localhost:${backend.server.port()}/api/${pluginId}`,
  };

  /** Calls the API directly as a user (dave administers). */
  async function call<T = any>(
    user: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: mockCredentials.user.header(userRef(user)),
        'Content-Type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  for (const policy of ELIGIBILITY) {
    const res = await call('dave', 'POST', '/policies/eligibility', policy);
    if (res.status !== 201) {
      throw new Error(`Could not create a policy: ${JSON.stringify(res)}`);
    }
  }
  for (const policy of APPROVERS) {
    const res = await call('dave', 'POST', '/policies/approval', policy);
    if (res.status !== 201) {
      throw new Error(`Could not create a policy: ${JSON.stringify(res)}`);
    }
  }

  return {
    discovery,
    call,
    /** Every request in the plugin, as an auditor sees them. */
    async allRequests(): Promise<AccessRequest[]> {
      const res = await call<{ items: AccessRequest[] }>(
        'dave',
        'GET',
        '/requests?view=all&limit=500',
      );
      if (res.status !== 200) {
        throw new Error(`Could not list requests: ${JSON.stringify(res)}`);
      }
      return res.body.items;
    },
    stop: () => backend.stop(),
  };
}

export type ElevatedAccessTestBackend = Awaited<
  ReturnType<typeof startElevatedAccess>
>;
