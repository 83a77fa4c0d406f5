import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import authPlugin from '@backstage/plugin-auth-backend';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { authModuleDemoPersonas } from './authModuleDemoPersonas';

const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'bob', namespace: 'default' },
    spec: { memberOf: ['platform-leads'] },
    relations: [
      { type: 'memberOf', targetRef: 'group:default/platform-leads' },
    ],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'platform-leads', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
];

async function startAuth(demo: JsonObject) {
  const { server } = await startTestBackend({
    features: [
      authPlugin,
      authModuleDemoPersonas,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          auth: { providers: { demo } },
        },
      }),
    ],
  });
  return (persona?: string) => {
    const req = request(server)
      .get('/api/auth/demo/refresh')
      .set('X-Requested-With', 'XMLHttpRequest');
    return persona ? req.set('x-demo-persona', persona) : req;
  };
}

/** bob as the one persona, allowed though the tests do not run in development. */
const BOB_OUTSIDE_DEVELOPMENT = {
  users: ['bob'],
  dangerouslyAllowOutsideDevelopment: true,
};

describe('authModuleDemoPersonas', () => {
  it('signs in as the catalog user, with their groups as ownership', async () => {
    const refresh = await startAuth(BOB_OUTSIDE_DEVELOPMENT);
    const res = await refresh('bob');
    expect(res.status).toBe(200);
    expect(res.body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/bob',
      ownershipEntityRefs: expect.arrayContaining([
        'user:default/bob',
        'group:default/platform-leads',
      ]),
    });
    expect(res.body.backstageIdentity.token).toEqual(expect.any(String));
  });

  it('refuses names outside the configured personas, and a missing name', async () => {
    const refresh = await startAuth(BOB_OUTSIDE_DEVELOPMENT);
    const stranger = await refresh('mallory');
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.message).toMatch(/not a demo persona/);
    const none = await refresh();
    expect(none.status).toBe(400);
    expect(none.body.error.message).toMatch(/x-demo-persona/);
  });

  it('does not run outside development unless explicitly allowed', async () => {
    // jest runs with NODE_ENV=test
    const refresh = await startAuth({ users: ['bob'] });
    const res = await refresh('bob');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/only runs in development/);
  });
});
