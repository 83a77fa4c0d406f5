import {
  createServiceFactory,
  BackendFeature,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  SignalsService,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import { JsonObject } from '@backstage/types';
import { InMemoryAccessProvider } from '@elevated-access/backstage-plugin-elevated-access-node/testUtils';
import permissionModuleElevatedAccessPolicy from '@elevated-access/backstage-plugin-permission-backend-module-elevated-access-policy';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { elevatedAccessPlugin } from '../plugin';
import {
  authFactory,
  elevatedAccessTestConfig,
  userInfoFactory,
} from './testBackend';
import { testProvidersModule } from './testProvidersModule';
import {
  catalogEntities,
  DEMO_APPROVERS,
  DEMO_ELIGIBILITY,
  demoTargets,
  GROUPS,
  Persona,
  userRef,
} from './fixtures';

/*
 * The plugin with the real notifications backend and its Slack processor
 * (`@backstage/plugin-notifications-backend-module-slack`), whose Slack Web
 * API is a local HTTP server.
 *
 * The module builds its `WebClient` from config with Slack's default API
 * URL and offers no seam for another client, so `@slack/web-api` (the copy
 * the module loads) is mocked with a subclass that only sets `slackApiUrl`
 * (and no retries); every call is a real HTTP call to the local server.
 *
 * `@backstage/plugin-notifications-backend` is the plugin the module
 * extends (its `backstage.pluginPackage`); this package does not depend on
 * it, so it is loaded from where the module is installed, as the demo
 * backend has it.
 */

const SLACK_MODULE = '@backstage/plugin-notifications-backend-module-slack';
const slackModuleDir = path.dirname(
  require.resolve(`${SLACK_MODULE}/package.json`),
);
const slackWebApiPath = require.resolve('@slack/web-api', {
  paths: [slackModuleDir],
});
const notificationsBackendPath = require.resolve(
  '@backstage/plugin-notifications-backend',
  { paths: [slackModuleDir] },
);

/** Where the mocked WebClient sends its calls (set before each backend starts). */
const slackApi = { url: '' };

jest.doMock(slackWebApiPath, () => {
  const actual = jest.requireActual(slackWebApiPath);
  class LocalWebClient extends actual.WebClient {
    constructor(token?: string, options: Record<string, unknown> = {}) {
      super(token, {
        ...options,
        slackApiUrl: slackApi.url,
        retryConfig: { retries: 0 },
      });
    }
  }
  return { ...actual, WebClient: LocalWebClient };
});

/** One call to the local Slack Web API, its form fields decoded. */
export interface SlackCall {
  method: string;
  authorization?: string;
  args: Record<string, any>;
  /** What the local API answered. */
  answer: Record<string, any>;
}

/**
 * A local Slack Web API: answers `chat.postMessage`, `chat.update` and
 * `users.lookupByEmail` (from `usersByEmail`) and records every call.
 */
export async function startFakeSlackApi(options: {
  usersByEmail: Record<string, string>;
}) {
  const calls: SlackCall[] = [];
  let ts = 1_700_000_000;
  const server = http.createServer((req, res) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', chunk => {
      data += chunk;
    });
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '');
      const args: Record<string, any> = {};
      const type = req.headers['content-type'] ?? '';
      const fields: Record<string, unknown> = type.includes('json')
        ? JSON.parse(data || '{}')
        : Object.fromEntries(new URLSearchParams(data));
      for (const [key, value] of Object.entries(fields)) {
        args[key] =
          typeof value === 'string' && /^[[{]/.test(value)
            ? JSON.parse(value)
            : value;
      }
      let answer: Record<string, unknown>;
      if (method === 'users.lookupByEmail') {
        const id = options.usersByEmail[String(args.email)];
        answer = id
          ? { ok: true, user: { id } }
          : { ok: false, error: 'users_not_found' };
      } else if (method === 'chat.postMessage') {
        ts += 1;
        answer = { ok: true, channel: args.channel, ts: `${ts}.000100` };
      } else if (method === 'chat.update') {
        answer = { ok: true, channel: args.channel, ts: args.ts };
      } else {
        answer = { ok: false, error: 'unknown_method' };
      }
      calls.push({
        method,
        authorization: req.headers.authorization,
        args,
        answer,
      });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** The Web API base URL, as `slackApiUrl`. */
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    /** Messages posted or edited, in order. */
    messages: () =>
      calls.filter(
        c => c.method === 'chat.postMessage' || c.method === 'chat.update',
      ),
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakeSlackApi = Awaited<ReturnType<typeof startFakeSlackApi>>;

/**
 * The demo catalog as Slack sees it: each group with its members
 * (`hasMember`, which the notifications backend follows) and the
 * `slack.com/bot-notify` annotations given; users keep their emails.
 */
export function slackCatalog(botNotify: Record<string, string>): Entity[] {
  return catalogEntities().map(entity => {
    const ref = `${entity.kind.toLocaleLowerCase('en-US')}:default/${
      entity.metadata.name
    }`;
    const annotated = botNotify[ref]
      ? {
          ...entity,
          metadata: {
            ...entity.metadata,
            annotations: {
              ...entity.metadata.annotations,
              'slack.com/bot-notify': botNotify[ref],
            },
          },
        }
      : entity;
    if (entity.kind !== 'Group') return annotated;
    const members = Object.entries(GROUPS)
      .filter(([, groups]) => groups.includes(entity.metadata.name))
      .map(([user]) => ({ type: 'hasMember', targetRef: userRef(user) }));
    const others = (entity.relations ?? []).filter(r => r.type !== 'hasMember');
    return { ...annotated, relations: [...others, ...members] };
  });
}

/** An in-memory provider whose revocations can be made to fail. */
export class FlakyRevokeProvider extends InMemoryAccessProvider {
  failRevokesWith?: string;

  async revoke(assignment: Parameters<InMemoryAccessProvider['revoke']>[0]) {
    if (this.failRevokesWith) {
      this.calls.push({ op: 'revoke', assignment });
      return { status: 'failed' as const, reason: this.failRevokesWith };
    }
    return super.revoke(assignment);
  }
}

export interface SlackTestBackendOptions {
  /** The local Slack Web API. */
  slackApiUrl: string;
  /** `notifications.processors.slack` (none: the module starts without processors). */
  slackProcessors?: JsonObject[];
  /** `slack.com/bot-notify` of catalog entities, by entity ref. */
  botNotify?: Record<string, string>;
  /** `elevatedAccess` config over the roles. */
  config?: JsonObject;
}

export const APP_BASE_URL = 'https://backstage.example.com';

/**
 * The plugin, the permission backend with the role policy, the real
 * notifications backend and its Slack module, the demo catalog, an
 * in-memory provider and the demo policies.
 */
export async function startElevatedAccessWithSlack(
  options: SlackTestBackendOptions,
) {
  slackApi.url = options.slackApiUrl;
  // loaded after the mock above is in place (an import would load them first)
  const notificationsPlugin: BackendFeature =
    require(notificationsBackendPath).default;
  const slackModule: BackendFeature = require(SLACK_MODULE).default;

  const provider = new FlakyRevokeProvider(demoTargets());
  const signals: jest.Mocked<SignalsService> = { publish: jest.fn() };
  const scheduler = mockServices.scheduler.mock();
  // the notifications backend schedules its cleaner through a task runner
  scheduler.createScheduledTaskRunner.mockImplementation(schedule => ({
    run: task => scheduler.scheduleTask({ ...schedule, ...task }),
  }));
  const backend = await startTestBackend({
    features: [
      elevatedAccessPlugin,
      testProvidersModule(provider),
      permissionPlugin,
      permissionModuleElevatedAccessPolicy,
      notificationsPlugin,
      slackModule,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: APP_BASE_URL },
          permission: { enabled: true },
          notifications: options.slackProcessors
            ? { processors: { slack: options.slackProcessors } }
            : {},
          elevatedAccess: elevatedAccessTestConfig(options.config),
        },
      }),
      userInfoFactory,
      authFactory,
      catalogServiceMock.factory({
        entities: slackCatalog(options.botNotify ?? {}),
      }),
      scheduler.factory,
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => signals,
      }),
    ],
  });

  const agent = request(backend.server);
  const auth = (persona: Persona) =>
    mockCredentials.user.header(userRef(persona));
  const base = '/api/elevated-access';
  const api = {
    backend,
    provider,
    get: (persona: Persona, route: string) =>
      agent.get(`${base}${route}`).set('Authorization', auth(persona)),
    post: (persona: Persona, route: string, body?: unknown) =>
      agent
        .post(`${base}${route}`)
        .set('Authorization', auth(persona))
        .send(body as object),
    /** A user's Backstage notifications inbox. */
    inbox: async (persona: Persona) =>
      (
        await agent
          .get('/api/notifications/notifications')
          .set('Authorization', auth(persona))
      ).body.notifications as Array<{
        payload: { title: string; link?: string };
      }>,
    /** Runs the lifecycle task once, as the scheduler would. */
    runLifecycle: async () => {
      const call = scheduler.scheduleTask.mock.calls.find(
        ([t]) => t.id === 'elevated-access-lifecycle',
      );
      if (!call) throw new Error('The lifecycle task was not scheduled');
      await call[0].fn(new AbortController().signal);
    },
    stop: () => backend.stop(),
  };

  for (const policy of DEMO_ELIGIBILITY) {
    expectCreated(await api.post('dave', '/policies/eligibility', policy));
  }
  for (const policy of DEMO_APPROVERS) {
    expectCreated(await api.post('dave', '/policies/approval', policy));
  }
  return api;
}

function expectCreated(res: request.Response) {
  if (res.status !== 201) {
    throw new Error(`Seeding policies failed: ${JSON.stringify(res.body)}`);
  }
}

export type SlackTestBackend = Awaited<
  ReturnType<typeof startElevatedAccessWithSlack>
>;
