import fs from 'node:fs';
import path from 'node:path';
import { Knex } from 'knex';
import { describeEachDatabase } from '../__testUtils__/databases';
import {
  ACCOUNT,
  DEMO_ELIGIBILITY,
  groupRef,
  OU,
  PS,
} from '../__testUtils__/fixtures';
import {
  ElevatedAccessRbacTestBackend,
  RBAC_CONDITIONAL_POLICIES_YAML,
  RBAC_POLICY_CSV,
  startElevatedAccessWithRbac,
} from '../__testUtils__/rbacTestBackend';
import { powerUserRequest, seedDemoPolicies } from '../__testUtils__/scenarios';

jest.setTimeout(120_000);

/*
 * The plugin under the community RBAC plugin (@backstage-community/
 * plugin-rbac-backend 6.1.0) instead of the permission backend and the
 * bundled policy, with the CSV and conditional policies committed in
 * docs/rbac and quoted by docs/install.md § 4c. Groups of the demo: alice
 * and erin are developers (requesters), bob a platform lead (approver of
 * the Workloads OU, may also request), carol a security auditor, dave an
 * access admin.
 */

const ROOT = path.resolve(__dirname, '../../../..');

/** alice's ReadOnlyAccess on payments-prod: no approval needed. */
const readOnlyRequest = {
  accountId: ACCOUNT['payments-prod'],
  permissionSetArn: PS.ReadOnlyAccess,
  durationMinutes: 60,
  justification: 'Look at the failing deployment',
};

const resourcePermission = (name: string, action: string) => ({
  type: 'resource',
  name,
  attributes: { action },
  resourceType: 'elevated-access-request',
});

describe('the RBAC files in docs/rbac', () => {
  it('are quoted verbatim by docs/install.md § 4c', () => {
    const guide = fs.readFileSync(path.join(ROOT, 'docs/install.md'), 'utf8');
    const start = guide.indexOf('### 4c. The community RBAC plugin');
    const end = guide.indexOf('\n## 5.', start);
    expect(start).toBeGreaterThan(0);
    const section = guide.slice(start, end);
    const csv = fs.readFileSync(path.join(ROOT, RBAC_POLICY_CSV), 'utf8');
    const yaml = fs.readFileSync(
      path.join(ROOT, RBAC_CONDITIONAL_POLICIES_YAML),
      'utf8',
    );
    expect(section).toContain(`\`\`\`csv\n${csv}\`\`\``);
    expect(section).toContain(`\`\`\`yaml\n${yaml}\`\`\``);
  });
});

describeEachDatabase(
  'Elevated Access under the community RBAC plugin',
  init => {
    let api: ElevatedAccessRbacTestBackend;
    let knex: Knex;

    beforeAll(async () => {
      knex = await init();
      api = await startElevatedAccessWithRbac({
        knex,
        rbacAdmins: [groupRef('access-admins')],
      });
    });
    afterAll(() => api.stop());

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
        await knex(table).delete();
      }
      await seedDemoPolicies(api);
    });

    /** alice's ReadOnlyAccess request, granted by the lifecycle task. */
    async function activeRequest(): Promise<string> {
      const created = await api.post('alice', '/requests', readOnlyRequest);
      expect(created.status).toBe(201);
      await api.runLifecycle();
      const { body } = await api.get('alice', `/requests/${created.body.id}`);
      expect(body.status).toBe('active');
      return body.id;
    }

    /** alice's PowerUserAccess request, waiting for a platform lead. */
    async function pendingRequest(): Promise<string> {
      const created = await api.post('alice', '/requests', powerUserRequest);
      expect(created.status).toBe(201);
      expect(created.body.status).toBe('pending');
      return created.body.id;
    }

    const authorize = async (persona: string, items: object[]) => {
      const res = await api.permission.post(persona, '/authorize', {
        items: items.map((item, i) => ({ id: String(i), ...item })),
      });
      expect(res.status).toBe(200);
      return res.body.items as Array<{ result: string; conditions?: unknown }>;
    };

    it('lets requesters end their own requests but not approve (revoke is `delete`, approve `update`)', async () => {
      const [revoke, approve] = await authorize('alice', [
        {
          permission: resourcePermission(
            'elevated-access.request.revoke',
            'delete',
          ),
        },
        {
          permission: resourcePermission(
            'elevated-access.request.approve',
            'update',
          ),
        },
      ]);
      expect(revoke).toMatchObject({
        result: 'CONDITIONAL',
        conditions: {
          anyOf: [
            {
              rule: 'IS_REQUESTER',
              params: { claims: ['user:default/alice'] },
            },
          ],
        },
      });
      expect(approve.result).toBe('DENY');
    });

    it('a requester revokes their own active access; another user cannot', async () => {
      const id = await activeRequest();
      const mine = await api.get('alice', `/requests/${id}`);
      expect(mine.body.capabilities).toMatchObject({ canRevoke: true });

      const other = await api.post('erin', `/requests/${id}/revoke`, {
        comment: 'not yours',
      });
      expect(other.status).toBe(403);

      const own = await api.post('alice', `/requests/${id}/revoke`, {
        comment: 'done early',
      });
      expect(own.status).toBe(200);
      expect(['revoking', 'revoked']).toContain(own.body.status);
      expect(own.body.revokedBy).toBe('user:default/alice');
    });

    it('a requester cancels their own pending request; another user cannot', async () => {
      const id = await pendingRequest();
      expect((await api.post('erin', `/requests/${id}/cancel`)).status).toBe(
        403,
      );
      const own = await api.post('alice', `/requests/${id}/cancel`);
      expect(own.status).toBe(200);
      expect(own.body.status).toBe('cancelled');
    });

    it('an approver approves a request in scope and revokes it', async () => {
      const id = await pendingRequest();
      const seen = await api.get('bob', `/requests/${id}`);
      expect(seen.status).toBe(200);
      expect(seen.body.capabilities).toMatchObject({ canApprove: true });

      const approved = await api.post('bob', `/requests/${id}/approve`, {
        comment: 'go ahead',
      });
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('approved');

      await api.runLifecycle();
      expect((await api.get('alice', `/requests/${id}`)).body.status).toBe(
        'active',
      );
      const revoked = await api.post('bob', `/requests/${id}/revoke`, {
        comment: 'incident over',
      });
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedBy).toBe('user:default/bob');
    });

    it('an approver cannot approve, read or revoke a request out of scope', async () => {
      // developers may also ask for the audit account (Security OU), which
      // security leads approve, not platform leads
      const policy = await api.post('dave', '/policies/eligibility', {
        name: 'Developers read security',
        principals: [groupRef('developers')],
        accounts: [],
        ous: [OU.Security],
        permissionSets: [PS.ReadOnlyAccess],
        maxDurationMinutes: 60,
        approvalRequired: true,
        ticketRequired: false,
      });
      expect(policy.status).toBe(201);
      const created = await api.post('alice', '/requests', {
        ...readOnlyRequest,
        accountId: ACCOUNT.audit,
      });
      expect(created.body).toMatchObject({
        status: 'pending',
        approverRefs: [groupRef('security-leads')],
      });
      const id = created.body.id;

      expect((await api.get('bob', `/requests/${id}`)).status).toBe(403);
      expect(
        (await api.post('bob', `/requests/${id}/approve`, { comment: 'ok' }))
          .status,
      ).toBe(403);
      expect(
        (await api.post('bob', `/requests/${id}/reject`, { comment: 'no' }))
          .status,
      ).toBe(403);
      expect(
        (await api.post('bob', `/requests/${id}/revoke`, { comment: 'no' }))
          .status,
      ).toBe(403);
      const approvals = await api.get('bob', '/requests?view=approvals');
      expect(
        approvals.body.items.map((r: { id: string }) => r.id),
      ).not.toContain(id);
    });

    it('nobody approves their own request, approvers included', async () => {
      // platform leads may request too; their requests go to platform leads
      const policy = await api.post('dave', '/policies/eligibility', {
        name: 'Platform leads power-use workloads',
        principals: [groupRef('platform-leads')],
        accounts: [],
        ous: [OU.Workloads],
        permissionSets: [PS.PowerUserAccess],
        maxDurationMinutes: 60,
        approvalRequired: true,
        ticketRequired: false,
      });
      expect(policy.status).toBe(201);
      // someone other than bob can decide: security leads on payments-prod too
      const approvers = await api.post('dave', '/policies/approval', {
        name: 'Security leads approve payments-prod',
        accounts: [ACCOUNT['payments-prod']],
        ous: [],
        permissionSets: [],
        approvers: [groupRef('security-leads')],
        minApprovals: 1,
      });
      expect(approvers.status).toBe(201);
      const created = await api.post('bob', '/requests', {
        ...powerUserRequest,
        ticketId: undefined,
      });
      expect(created.body).toMatchObject({
        status: 'pending',
        approverRefs: [groupRef('platform-leads'), groupRef('security-leads')],
        capabilities: { canApprove: false, canCancel: true },
      });
      const own = await api.post(
        'bob',
        `/requests/${created.body.id}/approve`,
        {
          comment: 'fine by me',
        },
      );
      expect(own.status).toBe(403);
      expect(own.body.error.message).toBe(
        'You cannot decide on your own request',
      );
      // the condition refuses it too, not only the plugin
      const [decision] = await authorize('bob', [
        {
          permission: resourcePermission(
            'elevated-access.request.approve',
            'update',
          ),
          resourceRef: created.body.id,
        },
      ]);
      expect(decision.result).toBe('DENY');
    });

    it('an auditor reads every request and the audit views but decides nothing', async () => {
      const pending = await pendingRequest();
      const active = await activeRequest();

      const all = await api.get('carol', '/requests?view=all');
      expect(all.status).toBe(200);
      expect(all.body.items.map((r: { id: string }) => r.id).sort()).toEqual(
        [pending, active].sort(),
      );
      expect((await api.get('carol', `/requests/${pending}`)).status).toBe(200);
      expect(
        (await api.get('carol', `/requests/${active}/activity`)).status,
      ).toBe(200);
      const csv = await api.get('carol', '/audit/requests.csv');
      expect(csv.status).toBe(200);
      expect(csv.text).toContain(pending);
      expect((await api.get('carol', '/audit/activity.csv')).status).toBe(200);
      expect((await api.get('carol', '/policies/eligibility')).status).toBe(
        200,
      );
      // the organisation, to filter the audit views by account or OU
      expect((await api.get('carol', '/targets')).status).toBe(200);

      expect(
        (
          await api.post('carol', `/requests/${pending}/approve`, {
            comment: 'ok',
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await api.post('carol', `/requests/${active}/revoke`, {
            comment: 'x',
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await api.post('carol', '/policies/eligibility', {
            ...DEMO_ELIGIBILITY[0],
            name: 'Another',
          })
        ).status,
      ).toBe(403);
    });

    it("a plain user reads neither others' requests nor the audit views", async () => {
      const pending = await pendingRequest();
      expect((await api.get('erin', `/requests/${pending}`)).status).toBe(403);
      expect(
        (await api.get('erin', `/requests/${pending}/activity`)).status,
      ).toBe(403);
      expect((await api.get('erin', '/requests?view=all')).status).toBe(403);
      expect((await api.get('erin', '/audit/requests.csv')).status).toBe(403);
      expect((await api.get('erin', '/audit/activity.csv')).status).toBe(403);
      for (const view of ['mine', 'approvals']) {
        const list = await api.get('erin', `/requests?view=${view}`);
        expect(list.status).toBe(200);
        expect(list.body.items).toEqual([]);
      }
      // while alice sees her own
      const mine = await api.get('alice', '/requests?view=mine');
      expect(mine.body.items.map((r: { id: string }) => r.id)).toEqual([
        pending,
      ]);
    });

    it('an admin manages the policies and settings, and RBAC itself', async () => {
      const created = await api.post('dave', '/policies/approval', {
        name: 'Security leads approve data-dev',
        accounts: [ACCOUNT['data-dev']],
        ous: [],
        permissionSets: [],
        approvers: [groupRef('security-leads')],
        minApprovals: 1,
      });
      expect(created.status).toBe(201);
      const settings = await api.get('dave', '/settings');
      expect(
        (
          await api.put('dave', '/settings', {
            ...settings.body,
            maxDurationMinutes: 120,
          })
        ).status,
      ).toBe(200);
      expect((await api.get('dave', '/targets')).status).toBe(200);
      for (const persona of ['alice', 'bob'] as const) {
        expect((await api.get(persona, '/targets')).status).toBe(403);
      }
      for (const persona of ['alice', 'bob', 'carol'] as const) {
        expect(
          (await api.delete(persona, `/policies/approval/${created.body.id}`))
            .status,
        ).toBe(403);
      }
      expect(
        (await api.delete('dave', `/policies/approval/${created.body.id}`))
          .status,
      ).toBe(204);

      // access-admins are RBAC's administrators too (permission.rbac.admin.users)
      const roles = await api.permission.get('dave', '/roles');
      expect(roles.status).toBe(200);
      expect(roles.body.map((r: { name: string }) => r.name)).toEqual(
        expect.arrayContaining([
          'role:default/elevated-access-requester',
          'role:default/elevated-access-approver',
          'role:default/elevated-access-auditor',
          'role:default/elevated-access-admin',
        ]),
      );
      expect((await api.permission.get('alice', '/roles')).status).toBe(403);
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
          (await authorize(persona, [catalogRead, catalogLocationRead])).map(
            d => d.result,
          ),
        ).toEqual(['ALLOW', 'ALLOW']);
      }
      // RBAC denies whatever no role grants: a user in none of the groups
      expect(
        (await authorize('user:default/mallory', [catalogRead])).map(
          d => d.result,
        ),
      ).toEqual(['DENY']);
    });

    it('an admin role does not make one an approver', async () => {
      // an admin's unconditional approve does not let them skip the plugin's
      // own rules: dave is not an approver of alice's request
      const id = await pendingRequest();
      const res = await api.post('dave', `/requests/${id}/approve`, {
        comment: 'admin override',
      });
      expect(res.status).toBe(403);
    });
  },
);
