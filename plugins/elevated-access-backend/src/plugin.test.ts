import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE,
  elevatedAccessPermissions,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { elevatedAccessRequestRules } from '@elevated-access/backstage-plugin-elevated-access-node';
import { elevatedAccessPlugin } from './plugin';

/** GETs the plugin's `path` on a backend of the plugin alone. */
async function getFromPlugin(path: string, authorization: string) {
  const { server } = await startTestBackend({
    features: [elevatedAccessPlugin],
  });
  return request(server)
    .get(`/api/elevated-access${path}`)
    .set('Authorization', authorization);
}

describe('elevatedAccessPlugin', () => {
  it('answers /health without credentials', async () => {
    const res = await getFromPlugin('/health', mockCredentials.none.header());
    expect({ status: res.status, body: res.body }).toEqual({
      status: 200,
      body: { status: 'ok' },
    });
  });

  it('publishes its permissions for policy editors', async () => {
    const res = await getFromPlugin(
      '/.well-known/backstage/permissions/metadata',
      mockCredentials.service.header(),
    );
    expect(res.status).toBe(200);
    // every permission the common package defines, as it defines it (type,
    // attributes, resource type), and no other
    const byName = (a: { name: string }, b: { name: string }) =>
      a.name.localeCompare(b.name);
    expect([...res.body.permissions].sort(byName)).toEqual(
      [...elevatedAccessPermissions].sort(byName),
    );
    // the request rules, for the request resource type, and no other
    expect(
      res.body.rules
        .map((r: { name: string; resourceType: string }) =>
          [r.name, r.resourceType].join(' '),
        )
        .sort(),
    ).toEqual(
      Object.values(elevatedAccessRequestRules)
        .map(r => [r.name, ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE].join(' '))
        .sort(),
    );
  });
});
