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
      expect(
        (await backend.api.get('carol', `/requests/${pending}`)).status,
      ).toBe(200);
      expect(
        (await backend.api.get('carol', `/requests/${active}/activity`)).status,
      ).toBe(200);
      const csv = await backend.api.get('carol', '/audit/requests.csv');
      expect(csv.status).toBe(200);
      expect(csv.text).toContain(pending);
      expect(
        (await backend.api.get('carol', '/audit/activity.csv')).status,
      ).toBe(200);
      expect(
        (await backend.api.get('carol', '/policies/eligibility')).status,
      ).toBe(200);
      // the organisation, to filter the audit views by account or OU
      expect((await backend.api.get('carol', '/targets')).status).toBe(200);

      expect(
        (
          await backend.api.post('carol', `/requests/${pending}/approve`, {
            comment: 'ok',
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await backend.api.post('carol', `/requests/${active}/revoke`, {
            comment: 'x',
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await backend.api.post('carol', '/policies/eligibility', {
            ...DEMO_ELIGIBILITY[0],
            name: 'Another',
          })
        ).status,
      ).toBe(403);
    });

    it("a plain user reads neither others' requests nor the audit views", async () => {
      const pending = await backend.pendingRequest();
      expect(
        (await backend.api.get('erin', `/requests/${pending}`)).status,
      ).toBe(403);
      expect(
        (await backend.api.get('erin', `/requests/${pending}/activity`)).status,
      ).toBe(403);
      expect((await backend.api.get('erin', '/requests?view=all')).status).toBe(
        403,
      );
      expect(
        (await backend.api.get('erin', '/audit/requests.csv')).status,
      ).toBe(403);
      expect(
        (await backend.api.get('erin', '/audit/activity.csv')).status,
      ).toBe(403);
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
      expect((await backend.api.get('dave', '/targets')).status).toBe(200);
      for (const persona of ['alice', 'bob'] as const) {
        expect((await backend.api.get(persona, '/targets')).status).toBe(403);
      }
      for (const persona of ['alice', 'bob', 'carol'] as const) {
        expect(
          (
            await backend.api.delete(
              persona,
              `/policies/approval/${created.body.id}`,
            )
          ).status,
        ).toBe(403);
      }
      expect(
        (
          await backend.api.delete(
            'dave',
            `/policies/approval/${created.body.id}`,
          )
        ).status,
      ).toBe(204);

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
