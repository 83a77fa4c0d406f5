import { Knex } from 'knex';
import { ACCOUNT, groupRef, PS } from './fixtures';
import {
  ElevatedAccessRbacTestBackend,
  startElevatedAccessWithRbac,
} from './rbacTestBackend';
import { powerUserRequest, seedDemoPolicies } from './scenarios';

/*
 * Set-up shared by the tests of the plugin under the community RBAC plugin
 * (rbac.*.test.ts): one backend per describe, the demo policies afresh
 * before each test, and the requests and permission checks the tests start
 * from.
 *
 * The plugin runs under the community RBAC plugin (@backstage-community/
 * plugin-rbac-backend 6.1.0) instead of the permission backend and the
 * bundled policy, with the CSV and conditional policies committed in
 * docs/rbac and quoted by docs/install.md § 4c. Groups of the demo: alice
 * and erin are developers (requesters), bob a platform lead (approver of
 * the Workloads OU, may also request), carol a security auditor, dave an
 * access admin.
 */

/** alice's ReadOnlyAccess on payments-prod: no approval needed. */
export const readOnlyRequest = {
  accountId: ACCOUNT['payments-prod'],
  permissionSetArn: PS.ReadOnlyAccess,
  durationMinutes: 60,
  justification: 'Look at the failing deployment',
};

export const resourcePermission = (name: string, action: string) => ({
  type: 'resource',
  name,
  attributes: { action },
  resourceType: 'elevated-access-request',
});

type Persona = Parameters<ElevatedAccessRbacTestBackend['get']>[0];
/** A call to the plugin: a read or delete, or a write with its body. */
export type Call =
  | ['get' | 'delete', string]
  | ['post' | 'put', string, object];

/** Filled in by setUpRbacBackend's beforeAll. */
export interface RbacBackend {
  api: ElevatedAccessRbacTestBackend;
  knex: Knex;
  /** alice's ReadOnlyAccess request, granted by the lifecycle task. */
  activeRequest(): Promise<string>;
  /** alice's PowerUserAccess request, waiting for a platform lead. */
  pendingRequest(): Promise<string>;
  /** Makes each call as `persona`: each answers `status` (a failure names the call). */
  expectStatuses(
    persona: Persona,
    status: number,
    calls: Call[],
  ): Promise<void>;
  /** The permission backend's decisions for `persona` on `items`. */
  authorize(
    persona: string,
    items: object[],
  ): Promise<Array<{ result: string; conditions?: unknown }>>;
}

/**
 * Starts the backend under RBAC (access-admins administer RBAC) once for the
 * enclosing describe, and clears it to the demo policies before each test.
 */
export function setUpRbacBackend(init: () => Promise<Knex>): RbacBackend {
  const backend: RbacBackend = {
    api: undefined as unknown as ElevatedAccessRbacTestBackend,
    knex: undefined as unknown as Knex,
    async activeRequest() {
      const { api } = backend;
      const created = await api.post('alice', '/requests', readOnlyRequest);
      expect(created.status).toBe(201);
      await api.runLifecycle();
      const { body } = await api.get('alice', `/requests/${created.body.id}`);
      expect(body.status).toBe('active');
      return body.id;
    },
    async pendingRequest() {
      const created = await backend.api.post(
        'alice',
        '/requests',
        powerUserRequest,
      );
      expect(created.status).toBe(201);
      expect(created.body.status).toBe('pending');
      return created.body.id;
    },
    async expectStatuses(persona, status, calls) {
      const { api } = backend;
      for (const [method, path, body] of calls) {
        const res =
          method === 'get' || method === 'delete'
            ? await api[method](persona, path)
            : await api[method](persona, path, body);
        const call = `${method.toUpperCase()} ${path}`;
        expect(`${call}: ${res.status}`).toBe(`${call}: ${status}`);
      }
    },
    async authorize(persona, items) {
      const res = await backend.api.permission.post(persona, '/authorize', {
        items: items.map((item, i) => ({ id: String(i), ...item })),
      });
      expect(res.status).toBe(200);
      return res.body.items;
    },
  };

  beforeAll(async () => {
    backend.knex = await init();
    backend.api = await startElevatedAccessWithRbac({
      knex: backend.knex,
      rbacAdmins: [groupRef('access-admins')],
    });
  });
  afterAll(() => backend.api.stop());

  beforeEach(async () => {
    for (const table of [
      'request_decisions',
      'request_approvers',
      'events',
      'assignments',
      'activity_events',
      'requests',
      'eligibility_policies',
      'approver_policies',
    ]) {
      await backend.knex(table).delete();
    }
    await seedDemoPolicies(backend.api);
  });
  return backend;
}
