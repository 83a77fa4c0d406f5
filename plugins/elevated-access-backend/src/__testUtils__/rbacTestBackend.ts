import { BackendFeature } from '@backstage/backend-plugin-api';
import path from 'node:path';
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { JsonObject } from '@backstage/types';
import Router from 'express-promise-router';
import { Knex } from 'knex';
import request from 'supertest';
import { Persona, userRef } from './fixtures';
import { startElevatedAccess, TestBackendOptions } from './testBackend';

/*
 * The RBAC plugin is loaded without its type declarations: 6.1.0 is built
 * against older Backstage packages whose types pull in @types/request, which
 * no longer type-checks against the tough-cookie the rest of the repo uses.
 * The test only needs it as a backend feature.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rbacPlugin: BackendFeature =
  require('@backstage-community/plugin-rbac-backend').default;

/** The repository root (this file is in plugins/elevated-access-backend/src/__testUtils__). */
const ROOT = path.resolve(__dirname, '../../../..');

/** The committed RBAC files that docs/install.md quotes, relative to the root. */
export const RBAC_POLICY_CSV = 'docs/rbac/rbac-policy.csv';
export const RBAC_CONDITIONAL_POLICIES_YAML =
  'docs/rbac/rbac-conditional-policies.yaml';

/**
 * The catalog's `GET /entities` (filters and field selection) over the mock
 * catalog. RBAC looks a user's groups up through it
 * (`kind=Group,relations.hasMember=<user>`) when it cannot read the catalog's
 * own database, as here.
 */
const catalogHttpPlugin = createBackendPlugin({
  pluginId: 'catalog',
  register(reg) {
    reg.registerInit({
      deps: {
        http: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        catalog: catalogServiceRef,
      },
      async init({ http, httpAuth, catalog }) {
        const router = Router();
        router.get('/entities', async (req, res) => {
          const filter = [req.query.filter ?? []].flat().map(set =>
            Object.fromEntries(
              String(set)
                .split(',')
                .map(condition => {
                  const at = condition.indexOf('=');
                  return [condition.slice(0, at), condition.slice(at + 1)];
                }),
            ),
          );
          const fields = req.query.fields
            ? String(req.query.fields).split(',')
            : undefined;
          const { items } = await catalog.getEntities(
            { filter: filter.length ? filter : undefined, fields },
            { credentials: await httpAuth.credentials(req) },
          );
          res.json(items);
        });
        http.use(router);
      },
    });
  },
});

/**
 * RBAC 6.1.0 turns the conditional policies file into stored conditions once,
 * while it starts, by fetching each plugin's permission metadata over HTTP;
 * if Elevated Access has not mounted its routes yet, the fetch fails and the
 * conditions are silently dropped (backstage/community-plugins#9429, #9808).
 * Plugins start in parallel, so hold RBAC back (a module of the `permission`
 * plugin starts before the plugin) until the metadata answers.
 */
const rbacWaitsForElevatedAccess = createBackendModule({
  pluginId: 'permission',
  moduleId: 'wait-for-elevated-access',
  register(reg) {
    reg.registerInit({
      deps: { discovery: coreServices.discovery, auth: coreServices.auth },
      async init({ discovery, auth }) {
        const url = `${await discovery.getBaseUrl(
          'elevated-access',
        )}/.well-known/backstage/permissions/metadata`;
        const deadline = Date.now() + 60_000;
        for (;;) {
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: await auth.getOwnServiceCredentials(),
            targetPluginId: 'elevated-access',
          });
          const res = await fetch(url, {
            headers: { authorization: `Bearer ${token}` },
          }).catch(() => undefined);
          if (res?.ok) return;
          if (Date.now() > deadline) {
            throw new Error(`${url} did not answer: ${res?.status}`);
          }
          await new Promise(resolve => setTimeout(resolve, 50));
        }
      },
    });
  },
});

/**
 * RBAC opens its own database connections from `backend.database` (it does
 * not use the database service), so point it at the test database: a
 * separate in-memory SQLite database, or on PostgreSQL a `permission` schema
 * in the test's database.
 */
function rbacDatabaseConfig(knex: Knex): JsonObject {
  const config = knex.client.config as Knex.Config;
  if (config.client === 'pg') {
    const connection = config.connection as Knex.PgConnectionConfig;
    return {
      client: 'pg',
      pluginDivisionMode: 'schema',
      connection: {
        host: connection.host ?? '127.0.0.1',
        port: Number(connection.port ?? 5432),
        user: connection.user ?? 'postgres',
        // RBAC's policy store requires a non-empty password; a server that
        // needs none (trust) ignores it
        password: String(connection.password || 'unused'),
        database: connection.database ?? 'postgres',
      },
    };
  }
  return { client: 'better-sqlite3', connection: ':memory:' };
}

export interface RbacTestBackendOptions
  extends Omit<TestBackendOptions, 'permissionFeatures' | 'rootConfig'> {
  /** Users or groups made RBAC administrators (`permission.rbac.admin.users`). */
  rbacAdmins?: string[];
}

/**
 * The plugin in a test backend whose permission backend is the community
 * RBAC plugin (it is the `permission` plugin and replaces
 * `@backstage/plugin-permission-backend` and any policy module), loading
 * the CSV and conditional policies committed in docs/rbac.
 */
export async function startElevatedAccessWithRbac(
  options: RbacTestBackendOptions,
) {
  const { rbacAdmins = [], ...rest } = options;
  const api = await startElevatedAccess({
    ...rest,
    permissionFeatures: [
      rbacPlugin,
      rbacWaitsForElevatedAccess,
      catalogHttpPlugin,
    ],
    rootConfig: {
      backend: { database: rbacDatabaseConfig(options.knex) },
      permission: {
        enabled: true,
        rbac: {
          pluginsWithPermission: ['permission', 'elevated-access'],
          'policies-csv-file': path.join(ROOT, RBAC_POLICY_CSV),
          conditionalPoliciesFile: path.join(
            ROOT,
            RBAC_CONDITIONAL_POLICIES_YAML,
          ),
          admin: { users: rbacAdmins.map(name => ({ name })) },
        },
      },
    },
  });

  const http = request(api.backend.server);
  const auth = (persona: Persona | string) =>
    mockCredentials.user.header(
      persona.includes(':') ? persona : userRef(persona),
    );
  return {
    ...api,
    async stop() {
      await api.stop();
      // RBAC never closes its policy store's connections (a TypeORM data
      // source); on PostgreSQL they would keep the test database from
      // being dropped
      if ((options.knex.client.config as Knex.Config).client === 'pg') {
        await options.knex.raw(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
      }
    },
    /** Calls the RBAC plugin (`/api/permission…`) as a user. */
    permission: {
      get: (persona: Persona | string, subPath: string) =>
        http
          .get(`/api/permission${subPath}`)
          .set('Authorization', auth(persona)),
      post: (persona: Persona | string, subPath: string, body: object) =>
        http
          .post(`/api/permission${subPath}`)
          .set('Authorization', auth(persona))
          .send(body),
    },
  };
}

export type ElevatedAccessRbacTestBackend = Awaited<
  ReturnType<typeof startElevatedAccessWithRbac>
>;
