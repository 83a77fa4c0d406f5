import {
  AuthService,
  BackendFeature,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import {
  AuditorEvent,
  DefaultAuditorService,
} from '@backstage/backend-defaults/auditor';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationService,
  notificationService,
} from '@backstage/plugin-notifications-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionModuleElevatedAccessPolicy from '@elevated-access/backstage-plugin-permission-backend-module-elevated-access-policy';
import {
  SignalsService,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import {
  AccessProvider,
  ActivitySource,
} from '@elevated-access/backstage-plugin-elevated-access-node';
import { Knex } from 'knex';
import request from 'supertest';
import { elevatedAccessPlugin } from '../plugin';
import {
  catalogEntities,
  demoTargets,
  ownershipOf,
  Persona,
  ROLES,
  userRef,
} from './fixtures';
import { InMemoryAccessProvider } from '@elevated-access/backstage-plugin-elevated-access-node/testUtils';
import { testProvidersModule } from './testProvidersModule';

/** Who calls the API in a test: a persona, no one, or another plugin. */
type Caller = Persona | 'none' | 'service';

/**
 * The test auth service, except that a plugin calling another plugin on a
 * user's behalf sends a token naming itself as the actor, as the real auth
 * service does (the mock drops the actor; the permission backend then treats
 * the call as coming straight from the user and refuses conditional answers).
 */
export const authFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const inner = mockServices.auth({ pluginId: plugin.getId() });
    const auth: AuthService = {
      authenticate: (token, options) => inner.authenticate(token, options),
      getNoneCredentials: () => inner.getNoneCredentials(),
      getOwnServiceCredentials: () => inner.getOwnServiceCredentials(),
      isPrincipal: inner.isPrincipal.bind(inner) as AuthService['isPrincipal'],
      getLimitedUserToken: credentials =>
        inner.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => inner.listPublicServiceKeys(),
      async getPluginRequestToken(options) {
        const principal = options.onBehalfOf.principal as {
          type: string;
          userEntityRef?: string;
        };
        if (principal.type === 'user') {
          return {
            token: mockCredentials.user.token(principal.userEntityRef, {
              actor: { subject: `plugin:${plugin.getId()}` },
            }),
          };
        }
        return inner.getPluginRequestToken(options);
      },
    };
    return auth;
  },
});

/** Users sign in with their catalog groups as ownership refs. */
export const userInfoFactory = mockServices.userInfo.mock({
  async getUserInfo(credentials) {
    const ref = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    const name = ref.split('/').pop()!;
    return { userEntityRef: ref, ownershipEntityRefs: ownershipOf(name) };
  },
}).factory;

export interface TestBackendOptions {
  knex: Knex;
  /** An in-memory provider by default; 'aws' uses the plugin's own AWS provider (point config at the sandbox). */
  provider?: AccessProvider | 'aws';
  activitySource?: ActivitySource;
  config?: JsonObject;
  /**
   * What answers permission checks: the permission backend with the bundled
   * role policy by default; give other features (e.g. the RBAC plugin) to
   * replace both.
   */
  permissionFeatures?: BackendFeature[];
  /** Top-level config over the defaults, e.g. another `permission` block. */
  rootConfig?: JsonObject;
  /**
   * The catalog's entities (default `catalogEntities()`); a test that keeps
   * them can change one (an owner, say) and the catalog answers with it.
   */
  entities?: Entity[];
}

/** The plugin's config in tests: the demo's roles and no due timers; `config` adds or overrides. */
export function elevatedAccessTestConfig(config?: JsonObject) {
  return {
    roles: ROLES,
    // tests run the lifecycle task by hand, when they choose
    schedule: { dueTimers: false },
    ...config,
  };
}

/**
 * The plugin in a test backend with the real permission backend and the role
 * policy, the demo catalog, and in-memory notifications and signals.
 */
export async function startElevatedAccess(options: TestBackendOptions) {
  let provider: AccessProvider | undefined;
  if (options.provider !== 'aws') {
    provider = options.provider ?? new InMemoryAccessProvider(demoTargets());
  }
  const notifications: jest.Mocked<NotificationService> = { send: jest.fn() };
  const signals: jest.Mocked<SignalsService> = { publish: jest.fn() };
  const scheduler = mockServices.scheduler.mock();
  /** What the plugins reported to `coreServices.auditor`, in order. */
  const auditEvents: AuditorEvent[] = [];
  /** The real auditor (actor from the request's credentials), captured. */
  const auditorFactory = createServiceFactory({
    service: coreServices.auditor,
    deps: {
      auth: coreServices.auth,
      httpAuth: coreServices.httpAuth,
      plugin: coreServices.pluginMetadata,
    },
    factory: ({ auth, httpAuth, plugin }) =>
      DefaultAuditorService.create(
        event => {
          auditEvents.push(event);
        },
        { auth, httpAuth, plugin },
      ),
  });

  const backend = await startTestBackend({
    features: [
      elevatedAccessPlugin,
      testProvidersModule(provider, options.activitySource),
      ...(options.permissionFeatures ?? [
        permissionPlugin,
        permissionModuleElevatedAccessPolicy,
      ]),
      mockServices.database.factory({ knex: options.knex }),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          ...options.rootConfig,
          elevatedAccess: elevatedAccessTestConfig(options.config),
        },
      }),
      userInfoFactory,
      authFactory,
      catalogServiceMock.factory({
        entities: options.entities ?? catalogEntities(),
      }),
      scheduler.factory,
      auditorFactory,
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => notifications,
      }),
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => signals,
      }),
    ],
  });

  const task = (id: string) => {
    const call = scheduler.scheduleTask.mock.calls.find(([t]) => t.id === id);
    if (!call) throw new Error(`The task ${id} was not scheduled`);
    return call[0];
  };
  const lifecycleTask = () => task('elevated-access-lifecycle');

  const http = request(backend.server);
  const base = '/api/elevated-access';
  const auth = (persona: Caller) => {
    if (persona === 'none') return mockCredentials.none.header();
    if (persona === 'service') return mockCredentials.service.header();
    return mockCredentials.user.header(userRef(persona));
  };
  /** A request to the plugin's API as `persona`. */
  const as = (
    persona: Caller,
    method: 'get' | 'post' | 'put' | 'delete',
    path: string,
  ) => http[method](`${base}${path}`).set('Authorization', auth(persona));

  return {
    backend,
    provider,
    notifications,
    signals,
    scheduler,
    auditEvents,
    /** Runs the lifecycle task once, as the scheduler would. */
    runLifecycle: async () => {
      await lifecycleTask().fn(new AbortController().signal);
    },
    lifecycleTask,
    /** Runs a scheduled task once: lifecycle, activity, reconcile or organization. */
    runTask: async (
      name: 'lifecycle' | 'activity' | 'reconcile' | 'organization',
    ) => {
      await task(`elevated-access-${name}`).fn(new AbortController().signal);
    },
    get: (persona: Caller, path: string) => as(persona, 'get', path),
    post: (persona: Caller, path: string, body?: unknown) =>
      as(persona, 'post', path).send(body as object),
    put: (persona: Caller, path: string, body?: unknown) =>
      as(persona, 'put', path).send(body as object),
    delete: (persona: Caller, path: string) => as(persona, 'delete', path),
    stop: () => backend.stop(),
  };
}

export type ElevatedAccessTestBackend = Awaited<
  ReturnType<typeof startElevatedAccess>
>;
