import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { elevatedAccessPlugin } from './plugin';

describe('elevatedAccessPlugin', () => {
  it('answers /health without credentials', async () => {
    const { server } = await startTestBackend({
      features: [elevatedAccessPlugin],
    });
    const res = await request(server)
      .get('/api/elevated-access/health')
      .set('Authorization', mockCredentials.none.header());
    expect({ status: res.status, body: res.body }).toEqual({
      status: 200,
      body: { status: 'ok' },
    });
  });

  it('publishes its permissions for policy editors', async () => {
    const { server } = await startTestBackend({
      features: [elevatedAccessPlugin],
    });
    const res = await request(server)
      .get('/api/elevated-access/.well-known/backstage/permissions/metadata')
      .set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
    expect(res.body.permissions.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining([
        'elevated-access.request.create',
        'elevated-access.audit.read',
        'elevated-access.policy.manage',
      ]),
    );
  });
});
