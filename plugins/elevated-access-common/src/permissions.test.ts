import {
  ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE,
  elevatedAccessBasicPermissions,
  elevatedAccessPermissions,
  elevatedAccessRequestPermissions,
} from './permissions';
import {
  isResourcePermission,
  isPermission,
} from '@backstage/plugin-permission-common';

describe('permissions', () => {
  it('names every permission <pluginId>.<resource>.<verb> and keeps names unique', () => {
    const names = elevatedAccessPermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^elevated-access\.[a-z]+\.[a-z]+$/);
    }
  });

  it('gives each request permission its own action, so policies keyed on actions (RBAC) reach each one', () => {
    expect(
      Object.fromEntries(
        elevatedAccessRequestPermissions.map(p => [
          p.name,
          p.attributes.action,
        ]),
      ),
    ).toEqual({
      'elevated-access.request.read': 'read',
      'elevated-access.request.approve': 'update',
      'elevated-access.request.revoke': 'delete',
    });
  });

  it('splits into basic and request-scoped permissions with no overlap', () => {
    for (const p of elevatedAccessRequestPermissions) {
      expect(
        isResourcePermission(p, ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE),
      ).toBe(true);
    }
    for (const p of elevatedAccessBasicPermissions) {
      expect(p.type).toBe('basic');
    }
    const all = [
      ...elevatedAccessBasicPermissions,
      ...elevatedAccessRequestPermissions,
    ];
    expect(all).toHaveLength(elevatedAccessPermissions.length);
    for (const p of elevatedAccessPermissions) {
      expect(all.filter(q => isPermission(q, p))).toHaveLength(1);
    }
  });
});
