/*
 * The backend the HTTP benchmarks drive (http.bench.ts, org.bench.ts): the
 * real plugin in this process on a real HTTP port (Backstage's test backend:
 * the plugin's router behind the default httpRouter with its auth
 * middleware), with the permission backend and the bundled role policy
 * module, the default auth, httpAuth and user-info services of
 * @backstage/backend-defaults, and the default auditor (its log lines are
 * dropped below warn). The plugin's database is the bench database; the
 * other plugins' key stores get schemas of their own in it. Tokens are real
 * ES256 user tokens (benchAuth.ts), so each request checks a signature, and
 * each permission call signs and checks a plugin-to-plugin token and fetches
 * the user's info as in production.
 *
 * What is not production: /v1/userinfo answers from memory (the auth backend
 * reads its table), the catalog is the in-memory mock with the entities
 * given, the access provider is the in-memory one with the organisation
 * given, notifications and signals are no-ops, the root router has no
 * helmet/CORS/compression middleware, and the scheduler is the test one with
 * its first run skipped, so the lifecycle, activity, reconcile and
 * organisation jobs never run during a bench (they would add load unrelated
 * to what is measured).
 */
import { auditorServiceFactory } from '@backstage/backend-defaults/auditor';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  BackendFeature,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { AccessTargets } from '@elevated-access/backstage-plugin-elevated-access-node';
import { InMemoryAccessProvider } from '@elevated-access/backstage-plugin-elevated-access-node/testUtils';
import permissionModuleElevatedAccessPolicy from '@elevated-access/backstage-plugin-permission-backend-module-elevated-access-policy';
import knexFactory, { Knex } from 'knex';
import { ROLES } from '../src/__testUtils__/fixtures';
import { testProvidersModule } from '../src/__testUtils__/testProvidersModule';
import { elevatedAccessPlugin } from '../src/plugin';
import { BenchTokenIssuer, benchAuthPlugin } from './benchAuth';
import { benchDatabaseUrl } from './benchDatabase';

/** Where the plugin's routes are mounted. */
export const BASE = '/api/elevated-access';

export interface BenchBackendOptions {
  /** The plugin's database (a bench database, see benchDatabase.ts). */
  knex: Knex;
  /** Its name: the other plugins get schemas of their own in it. */
  database: string;
  /** The organisation the in-memory access provider serves. */
  targets: AccessTargets;
  /** The catalog: users and groups (approver groups are expanded through it). */
  entities: Entity[];
  /** More plugins or modules to start with it (httpFloor.bench.ts's `floor`). */
  features?: BackendFeature[];
}

/** Starts the benchmark backend; see the header for what is real. */
export async function startBenchBackend(options: BenchBackendOptions) {
  const { knex } = options;
  const issuer = new BenchTokenIssuer();
  const otherClients: Knex[] = [];
  const noop = { send: async () => {}, publish: async () => {} };
  const backend = await startTestBackend({
    features: [
      ...(options.features ?? []),
      elevatedAccessPlugin,
      testProvidersModule(new InMemoryAccessProvider(options.targets)),
      permissionPlugin,
      permissionModuleElevatedAccessPolicy,
      benchAuthPlugin(issuer),
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      auditorServiceFactory,
      mockServices.rootLogger.factory({ level: 'warn' }),
      // each plugin its own schema, as `pluginDivisionMode: schema` gives
      createServiceFactory({
        service: coreServices.database,
        deps: { plugin: coreServices.pluginMetadata },
        async factory({ plugin }) {
          if (plugin.getId() === 'elevated-access') {
            return { getClient: async () => knex };
          }
          const schema = `plugin_${plugin.getId().replace(/-/g, '_')}`;
          await knex.raw('CREATE SCHEMA IF NOT EXISTS ??', [schema]);
          const client = knexFactory({
            client: 'pg',
            connection: benchDatabaseUrl(options.database),
            searchPath: [schema],
            pool: { min: 0, max: 2 },
          });
          otherClients.push(client);
          return { getClient: async () => client };
        },
      }),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          elevatedAccess: { roles: ROLES },
        },
      }),
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      catalogServiceMock.factory({ entities: options.entities }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send: noop.send }),
      }),
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({ publish: noop.publish }),
      }),
    ],
  });
  const port = backend.server.port();
  const origin = `http://127.0.0.1:${port}`;

  /** A user token for `userEntityRef` owning `ownershipEntityRefs` (user and groups). */
  const tokenFor = (userEntityRef: string, ownershipEntityRefs: string[]) =>
    issuer.userToken(
      `http://localhost:${port}/api/auth`,
      userEntityRef,
      ownershipEntityRefs,
    );

  /** Sends a request to the backend with `token`, the body as JSON. */
  const send = (token: string, method: string, url: string, body?: unknown) =>
    fetch(`${origin}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  /** Calls the backend with `token`; a response that is not 2xx throws. */
  const call = async (
    token: string,
    method: string,
    url: string,
    body?: unknown,
  ) => {
    const res = await send(token, method, url, body);
    const text = await res.text();
    if (!res.ok) {
      throw new Error(`${method} ${url} answered ${res.status}: ${text}`);
    }
    return JSON.parse(text);
  };

  return {
    backend,
    issuer,
    port,
    origin,
    tokenFor,
    send,
    call,
    /** Stops the backend and the other plugins' database clients. */
    stop: async () => {
      await backend.stop();
      await Promise.all(otherClients.map(c => c.destroy()));
    },
  };
}
