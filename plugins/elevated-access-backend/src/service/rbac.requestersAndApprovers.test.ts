import { describeEachDatabase } from '../__testUtils__/databases';
import {
  ACCOUNT,
  eligibilityPolicy,
  groupRef,
  OU,
  PS,
} from '../__testUtils__/fixtures';
import {
  readOnlyRequest,
  resourcePermission,
  setUpRbacBackend,
} from '../__testUtils__/rbacScenarios';
import { powerUserRequest } from '../__testUtils__/scenarios';

jest.setTimeout(120_000);

/*
 * The plugin under the community RBAC plugin; the set-up and the demo's
 * groups are described in __testUtils__/rbacScenarios.ts.
 *
 * Here: requesters end their own requests, approvers decide and revoke
 * those in scope, and nobody approves their own.
 */

describeEachDatabase(
  'Elevated Access under the community RBAC plugin',
  init => {
    const backend = setUpRbacBackend(init);

    it('lets requesters end their own requests but not approve (revoke is `delete`, approve `update`)', async () => {
      const [revoke, approve] = await backend.authorize('alice', [
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
      const id = await backend.activeRequest();
      const mine = await backend.api.get('alice', `/requests/${id}`);
      expect(mine.body.capabilities).toMatchObject({ canRevoke: true });

      const other = await backend.api.post('erin', `/requests/${id}/revoke`, {
        comment: 'not yours',
      });
      expect(other.status).toBe(403);

      const own = await backend.api.post('alice', `/requests/${id}/revoke`, {
        comment: 'done early',
      });
      expect(own.status).toBe(200);
      expect(['revoking', 'revoked']).toContain(own.body.status);
      expect(own.body.revokedBy).toBe('user:default/alice');
    });

    it('a requester cancels their own pending request; another user cannot', async () => {
      const id = await backend.pendingRequest();
      expect(
        (await backend.api.post('erin', `/requests/${id}/cancel`)).status,
      ).toBe(403);
      const own = await backend.api.post('alice', `/requests/${id}/cancel`);
      expect(own.status).toBe(200);
      expect(own.body.status).toBe('cancelled');
    });

    it('an approver approves a request in scope and revokes it', async () => {
      const id = await backend.pendingRequest();
      const seen = await backend.api.get('bob', `/requests/${id}`);
      expect(seen.status).toBe(200);
      expect(seen.body.capabilities).toMatchObject({ canApprove: true });

      const approved = await backend.api.post(
        'bob',
        `/requests/${id}/approve`,
        {
          comment: 'go ahead',
        },
      );
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('approved');

      await backend.api.runLifecycle();
      expect(
        (await backend.api.get('alice', `/requests/${id}`)).body.status,
      ).toBe('active');
      const revoked = await backend.api.post('bob', `/requests/${id}/revoke`, {
        comment: 'incident over',
      });
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedBy).toBe('user:default/bob');
    });

    it('an approver cannot approve, read or revoke a request out of scope', async () => {
      // developers may also ask for the audit account (Security OU), which
      // security leads approve, not platform leads
      const policy = await backend.api.post(
        'dave',
        '/policies/eligibility',
        eligibilityPolicy({
          name: 'Developers read security',
          ous: [OU.Security],
          permissionSets: [PS.ReadOnlyAccess],
        }),
      );
      expect(policy.status).toBe(201);
      const created = await backend.api.post('alice', '/requests', {
        ...readOnlyRequest,
        accountId: ACCOUNT.audit,
      });
      expect(created.body).toMatchObject({
        status: 'pending',
        approverRefs: [groupRef('security-leads')],
      });
      const id = created.body.id;

      await backend.expectStatuses('bob', 403, [
        ['get', `/requests/${id}`],
        ['post', `/requests/${id}/approve`, { comment: 'ok' }],
        ['post', `/requests/${id}/reject`, { comment: 'no' }],
        ['post', `/requests/${id}/revoke`, { comment: 'no' }],
      ]);
      const approvals = await backend.api.get(
        'bob',
        '/requests?view=approvals',
      );
      expect(
        approvals.body.items.map((r: { id: string }) => r.id),
      ).not.toContain(id);
    });

    it('nobody approves their own request, approvers included', async () => {
      // platform leads may request too; their requests go to platform leads
      const policy = await backend.api.post(
        'dave',
        '/policies/eligibility',
        eligibilityPolicy({
          name: 'Platform leads power-use workloads',
          principals: [groupRef('platform-leads')],
        }),
      );
      expect(policy.status).toBe(201);
      // someone other than bob can decide: security leads on payments-prod too
      const approvers = await backend.api.post('dave', '/policies/approval', {
        name: 'Security leads approve payments-prod',
        accounts: [ACCOUNT['payments-prod']],
        ous: [],
        permissionSets: [],
        approvers: [groupRef('security-leads')],
        minApprovals: 1,
      });
      expect(approvers.status).toBe(201);
      const created = await backend.api.post('bob', '/requests', {
        ...powerUserRequest,
        ticketId: undefined,
      });
      expect(created.body).toMatchObject({
        status: 'pending',
        approverRefs: [groupRef('platform-leads'), groupRef('security-leads')],
        capabilities: { canApprove: false, canCancel: true },
      });
      const own = await backend.api.post(
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
      const [decision] = await backend.authorize('bob', [
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

    it('an admin role does not make one an approver', async () => {
      // an admin's unconditional approve does not let them skip the plugin's
      // own rules: dave is not an approver of alice's request
      const id = await backend.pendingRequest();
      const res = await backend.api.post('dave', `/requests/${id}/approve`, {
        comment: 'admin override',
      });
      expect(res.status).toBe(403);
    });
  },
);
