import {
  approverPolicyInputSchema,
  elevatedAccessAuditReadPermission,
  elevatedAccessPolicyManagePermission,
  eligibilityPolicyInputSchema,
  settingsInputSchema,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import express from 'express';
import { Audited, parse, policyIdOf, RouterOptions } from './routeKit';

/** Policies, settings and the organisation's targets (admins; auditors browse targets). */
export function addAdminRoutes(
  router: express.Router,
  options: RouterOptions,
  audited: Audited,
) {
  const { access, policies, settings, targets } = options;

  for (const [path, kind, schema] of [
    ['eligibility', 'eligibility', eligibilityPolicyInputSchema],
    ['approval', 'approver', approverPolicyInputSchema],
  ] as const) {
    router.get(`/policies/${path}`, async (req, res) => {
      const ctx = await access.callContext(req);
      res.json(await policies.list(ctx, kind));
    });
    router.get(`/policies/${path}/:id`, async (req, res) => {
      const ctx = await access.callContext(req);
      res.json(await policies.get(ctx, kind, policyIdOf(req)));
    });
    router.post(`/policies/${path}`, async (req, res) => {
      const created = await audited(
        req,
        `policy-create`,
        'high',
        { kind },
        async () => {
          const ctx = await access.callContext(req);
          return policies.create(
            ctx,
            kind as never,
            parse(schema, req.body) as never,
          );
        },
        p => ({ policyId: (p as { id: string }).id }),
      );
      res.status(201).json(created);
    });
    router.put(`/policies/${path}/:id`, async (req, res) => {
      const updated = await audited(
        req,
        `policy-update`,
        'high',
        { kind, policyId: req.params.id },
        async () => {
          const ctx = await access.callContext(req);
          const id = policyIdOf(req);
          return policies.update(
            ctx,
            kind as never,
            id,
            parse(schema, req.body) as never,
          );
        },
        p => ({ version: (p as { version: number }).version }),
      );
      res.json(updated);
    });
    router.delete(`/policies/${path}/:id`, async (req, res) => {
      await audited(
        req,
        `policy-delete`,
        'high',
        { kind, policyId: req.params.id },
        async () => {
          const ctx = await access.callContext(req);
          await policies.delete(ctx, kind, policyIdOf(req));
        },
      );
      res.status(204).end();
    });
  }

  router.get('/settings', async (req, res) => {
    await access.callContext(req);
    res.json(await settings.get());
  });

  router.put('/settings', async (req, res) => {
    const updated = await audited(
      req,
      'settings-update',
      'high',
      {},
      async () => {
        const ctx = await access.callContext(req);
        await access.require(
          elevatedAccessPolicyManagePermission,
          ctx.credentials,
          'Only Elevated Access admins can change settings',
        );
        return settings.put(
          parse(settingsInputSchema, req.body),
          ctx.caller.userEntityRef,
        );
      },
      s => ({ version: s.version }),
    );
    res.json(updated);
  });

  // Policy editors pick from it; auditors filter the audit views by account
  // or OU with it (names and ids only, nothing they cannot already read).
  router.get('/targets', async (req, res) => {
    const ctx = await access.callContext(req);
    await access.requireAny(
      [elevatedAccessPolicyManagePermission, elevatedAccessAuditReadPermission],
      ctx.credentials,
      'Only Elevated Access admins and auditors can browse the organisation',
    );
    const tree = await targets.tree();
    res.json({
      rootId: tree.rootId,
      organizationalUnits: tree.targets.organizationalUnits,
      accounts: tree.targets.accounts
        .filter(a => !a.isManagementAccount)
        .map(a => ({ ...tree.accountSummary(a.id)!, parentId: a.parentId })),
      permissionSets: tree
        .allPermissionSets()
        .map(p => tree.permissionSetSummary(p.arn)!),
      fetchedAt: tree.targets.fetchedAt,
    });
  });
}
