import { InputError } from '@backstage/errors';
import express, { NextFunction, Request, Response } from 'express';
import Router from 'express-promise-router';
import { addAdminRoutes } from './routes/adminRoutes';
import { addAuditRoutes } from './routes/auditRoutes';
import { addExtensionRoutes } from './routes/extensionRoutes';
import { addRequestRoutes } from './routes/requestRoutes';
import { auditedBy, RouterOptions } from './routes/routeKit';

export type { RouterOptions } from './routes/routeKit';

/**
 * The plugin's HTTP API. Each area's routes are added to this one router
 * (rather than mounted as sub-routers), so its route table lists them all.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = Router();
  router.use(express.json({ limit: '64kb' }));
  // Body-parser errors (bad JSON, oversized bodies) become plain 400s.
  router.use((err: any, _req: Request, _res: Response, next: NextFunction) => {
    if (err?.type === 'entity.parse.failed') {
      next(new InputError('The request body is not valid JSON'));
    } else if (err?.type === 'entity.too.large') {
      next(new InputError('The request body is larger than 64 kB'));
    } else {
      next(err);
    }
  });

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const audited = auditedBy(options.auditor);
  addRequestRoutes(router, options, audited);
  addExtensionRoutes(router, options, audited);
  addAuditRoutes(router, options, audited);
  addAdminRoutes(router, options, audited);
  return router;
}
