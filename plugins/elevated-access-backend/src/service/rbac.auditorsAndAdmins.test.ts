import { describeEachDatabase } from '../__testUtils__/databases';
import { ACCOUNT, DEMO_ELIGIBILITY, groupRef } from '../__testUtils__/fixtures';
import { setUpRbacBackend } from '../__testUtils__/rbacScenarios';

jest.setTimeout(120_000);

/*
 * The plugin under the community RBAC plugin; the set-up and the demo's
 * groups are described in __testUtils__/rbacScenarios.ts.
 *
 * Here: auditors read, plain users see only their own, admins manage the
 * policies, settings and RBAC itself, and the demo groups read the catalog.
 */

describeEachDatabase(
  'Elevated Access under the community RBAC plugin',
  init => {
    const backend = setUpRbacBackend(init);

    it('an auditor reads every request and the audit views but decides nothing', async () => {
      const pending = await backend.pendingRequest();
      const active = await backend.activeRequest();

      const all = await backend.api.get('carol', '/requests?view=all');
      expect(all.status).toBe(200);
      expect(all.body.items.map((r: { id: string }) => r.id).sort()).toEqual(
        [pending, active].sort(),
      );
      const csv = await backend.api.get('carol', '/audit/requests.csv');
      expect(csv.status).toBe(200);
      expect(csv.text).toContain(pending);
      await backend.expectStatuses('carol', 200, [
        ['get', `/requests/${pending}`],
        ['get', `/requests/${active}/activity`],
        ['get', '/audit/activity.csv'],
        ['get', '/policies/eligibility'],
        // the organisation, to filter the audit views by account or OU
        ['get', '/targets'],
      ]);
      await backend.expectStatuses('carol', 403, [
        ['post', `/requests/${pending}/approve`, { comment: 'ok' }],
        ['post', `/requests/${active}/revoke`, { comment: 'x' }],
        [
          'post',
          '/policies/eligibility',
          { ...DEMO_ELIGIBILITY[0], name: 'Another' },
        ],
      ]);
    });

    it("a plain user reads neither others' requests nor the audit views", async () => {
      const pending = await backend.pendingRequest();
      await backend.expectStatuses('erin', 403, [
        ['get', `/requests/${pending}`],
        ['get', `/requests/${pending}/activity`],
        ['get', '/requests?view=all'],
        ['get', '/audit/requests.csv'],
        ['get', '/audit/activity.csv'],
      ]);
      for (const view of ['mine', 'approvals']) {
        const list = await backend.api.get('erin', `/requests?view=${view}`);
        expect(list.status).toBe(200);
        expect(list.body.items).toEqual([]);
      }
      // while alice sees her own
      const mine = await backend.api.get('alice', '/requests?view=mine');
      expect(mine.body.items.map((r: { id: string }) => r.id)).toEqual([
        pending,
      ]);
    });

    it('an admin manages the policies and settings, and RBAC itself', async () => {
      const created = await backend.api.post('dave', '/policies/approval', {
        name: 'Security leads approve data-dev',
        accounts: [ACCOUNT['data-dev']],
        ous: [],
        permissionSets: [],
        approvers: [groupRef('security-leads')],
        minApprovals: 1,
      });
      expect(created.status).toBe(201);
      const settings = await backend.api.get('dave', '/settings');
      expect(
        (
          await backend.api.put('dave', '/settings', {
            ...settings.body,
            maxDurationMinutes: 120,
          })
        ).status,
      ).toBe(200);
      await backend.expectStatuses('dave', 200, [['get', '/targets']]);
      for (const persona of ['alice', 'bob'] as const) {
        await backend.expectStatuses(persona, 403, [['get', '/targets']]);
      }
      const policy = `/policies/approval/${created.body.id}`;
      for (const persona of ['alice', 'bob', 'carol'] as const) {
        await backend.expectStatuses(persona, 403, [['delete', policy]]);
      }
      await backend.expectStatuses('dave', 204, [['delete', policy]]);

      // access-admins are RBAC's administrators too (permission.rbac.admin.users)
      const roles = await backend.api.permission.get('dave', '/roles');
      expect(roles.status).toBe(200);
      expect(roles.body.map((r: { name: string }) => r.name)).toEqual(
        expect.arrayContaining([
          'role:default/elevated-access-requester',
          'role:default/elevated-access-approver',
          'role:default/elevated-access-auditor',
          'role:default/elevated-access-admin',
        ]),
      );
      expect((await backend.api.permission.get('alice', '/roles')).status).toBe(
        403,
      );
    });

    it('grants catalog reads to every demo group, and to nobody else', async () => {
      const catalogRead = {
        permission: {
          type: 'resource',
          name: 'catalog.entity.read',
          attributes: { action: 'read' },
          resourceType: 'catalog-entity',
        },
      };
      const catalogLocationRead = {
        permission: {
          type: 'basic',
          name: 'catalog.location.read',
          attributes: { action: 'read' },
        },
      };
      for (const persona of ['alice', 'bob', 'carol', 'dave']) {
        expect(
          (
            await backend.authorize(persona, [catalogRead, catalogLocationRead])
          ).map(d => d.result),
        ).toEqual(['ALLOW', 'ALLOW']);
      }
      // RBAC denies whatever no role grants: a user in none of the groups
      expect(
        (await backend.authorize('user:default/mallory', [catalogRead])).map(
          d => d.result,
        ),
      ).toEqual(['DENY']);
    });
  },
);
