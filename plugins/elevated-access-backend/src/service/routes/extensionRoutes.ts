import {
  extendBodySchema,
  extensionDecisionBodySchema,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import express from 'express';
import { Audited, idOf, parse, RouterOptions } from './routeKit';

/** Extending a request's access in place, and deciding an extension. */
export function addExtensionRoutes(
  router: express.Router,
  options: RouterOptions,
  audited: Audited,
) {
  const { access, extensions } = options;

  router.get('/requests/:id/extension', async (req, res) => {
    const ctx = await access.callContext(req);
    res.json(await extensions.list(ctx, idOf(req)));
  });

  router.post('/requests/:id/extend', async (req, res) => {
    const result = await audited(
      req,
      'request-extend',
      'high',
      { requestId: req.params.id },
      async () => {
        const ctx = await access.callContext(req);
        const id = idOf(req);
        return extensions.extend(ctx, id, parse(extendBodySchema, req.body));
      },
      r => ({
        extensionId: r.id,
        status: r.status,
        addedMinutes: r.addedMinutes,
        totalMinutes: r.totalMinutes,
      }),
    );
    res.status(result.status === 'pending' ? 202 : 200).json(result);
  });

  for (const decision of ['approve', 'reject'] as const) {
    router.post(`/requests/:id/extension/${decision}`, async (req, res) => {
      const result = await audited(
        req,
        `request-extension-${decision}`,
        'high',
        { requestId: req.params.id },
        async () => {
          const ctx = await access.callContext(req);
          const id = idOf(req);
          return extensions.decide(
            ctx,
            id,
            decision,
            parse(extensionDecisionBodySchema, req.body),
          );
        },
        r => ({ extensionId: r.id, status: r.status }),
      );
      res.json(result);
    });
  }
}
