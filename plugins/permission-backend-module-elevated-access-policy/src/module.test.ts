import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import permissionPlugin from '@backstage/plugin-permission-backend';
import request from 'supertest';
import { permissionModuleElevatedAccessPolicy } from './module';

const groups: Record<string, string[]> = {
  'user:default/alice': ['group:default/developers'],
  'user:default/carol': ['group:default/security-auditors'],
  'user:default/dave': ['group:default/access-admins'],
};

describe('permissionModuleElevatedAccessPolicy', () => {
  async function authorize(user: string, permissionName: string) {
    const { server } = await startTestBackend({
      features: [
        permissionPlugin,
        permissionModuleElevatedAccessPolicy,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            elevatedAccess: {
              roles: {
                admins: ['group:default/access-admins'],
                auditors: ['group:default/security-auditors'],
              },
            },
          },
        }),
        mockServices.userInfo.mock({
          async getUserInfo(credentials) {
            const ref = (credentials.principal as { userEntityRef: string })
              .userEntityRef;
            return {
              userEntityRef: ref,
              ownershipEntityRefs: [ref, ...(groups[ref] ?? [])],
            };
          },
        }).factory,
      ],
    });
    const res = await request(server)
      .post('/api/permission/authorize')
      .set('Authorization', mockCredentials.user.header(user))
      .send({
        items: [
          {
            id: '1',
            permission: {
              type: 'basic',
              name: permissionName,
              attributes: {},
            },
          },
        ],
      });
    expect(res.status).toBe(200);
    return res.body.items[0].result;
  }

  it('maps the configured groups to the admin and auditor roles', async () => {
    expect(
      await authorize('user:default/carol', 'elevated-access.audit.read'),
    ).toBe(AuthorizeResult.ALLOW);
    expect(
      await authorize('user:default/alice', 'elevated-access.audit.read'),
    ).toBe(AuthorizeResult.DENY);
    expect(
      await authorize('user:default/dave', 'elevated-access.policy.manage'),
    ).toBe(AuthorizeResult.ALLOW);
    expect(
      await authorize('user:default/carol', 'elevated-access.policy.manage'),
    ).toBe(AuthorizeResult.DENY);
  });

  it('leaves other plugins permissions allowed, as the demo app expects', async () => {
    expect(await authorize('user:default/alice', 'catalog.entity.create')).toBe(
      AuthorizeResult.ALLOW,
    );
  });
});
