import {
  AccessRequest,
  approveBodySchema,
  cancelBodySchema,
  commentBodySchema,
  createRequestSchema,
  eligibilityQuerySchema,
  eligibleAccountsQuerySchema,
  entityAccessQuerySchema,
  listRequestsQuerySchema,
  requestsCsvQuerySchema,
  reviewBodySchema,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { JsonObject } from '@backstage/types';
import express from 'express';
import { CallContext } from '../AccessControl';
import { Audited, idOf, parse, RouterOptions } from './routeKit';

/**
 * The caller's standing and eligibility, requests and what people do to
 * them (approve, reject, review, cancel, revoke, retry).
 */
export function addRequestRoutes(
  router: express.Router,
  options: RouterOptions,
  audited: Audited,
) {
  const { access, requests, audit, entityAccess } = options;

  router.get('/me', async (req, res) => {
    const ctx = await access.callContext(req);
    res.json(await requests.me(ctx));
  });

  router.get('/eligibility', async (req, res) => {
    const ctx = await access.callContext(req);
    res.json(
      await requests.eligibility(ctx, parse(eligibilityQuerySchema, req.query)),
    );
  });

  // the form's account picker searches here (a large organisation's full
  // eligibility is too big to send)
  router.get('/eligibility/accounts', async (req, res) => {
    const ctx = await access.callContext(req);
    res.json(
      await requests.eligibleAccounts(
        ctx,
        parse(eligibleAccountsQuerySchema, req.query),
      ),
    );
  });

  // an entity page's card: who holds access to the entity's AWS accounts
  router.get('/entity-access', async (req, res) => {
    const ctx = await access.callContext(req);
    const { entityRef } = parse(entityAccessQuerySchema, req.query);
    res.json(await entityAccess.forEntity(ctx, entityRef));
  });

  router.post('/requests', async (req, res) => {
    const breakGlass = req.body?.breakGlass === true;
    const created = await audited(
      req,
      'request-create',
      // break-glass skips approval: auditors see it among the high events
      breakGlass ? 'high' : 'medium',
      breakGlass ? { breakGlass: true } : {},
      async () => {
        const ctx = await access.callContext(req);
        return requests.create(ctx, parse(createRequestSchema, req.body));
      },
      r => ({
        requestId: r.id,
        status: r.status,
        ...(r.breakGlass && { breakGlass: true }),
      }),
    );
    res.status(201).json(created);
  });

  router.get('/requests', async (req, res) => {
    const ctx = await access.callContext(req);
    res.json(
      await requests.list(ctx, parse(listRequestsQuerySchema, req.query)),
    );
  });

  // before /requests/:id, which would take `decided.csv` for an id
  router.get('/requests/decided.csv', async (req, res) => {
    await audited(req, 'export-decided-requests', 'medium', {}, async () => {
      const ctx = await access.callContext(req);
      const query = parse(requestsCsvQuerySchema, req.query);
      await audit.decidedCsv(ctx, query, res);
    });
  });

  router.get('/requests/:id', async (req, res) => {
    const ctx = await access.callContext(req);
    res.json(await requests.get(ctx, idOf(req)));
  });

  /**
   * `POST /requests/:id/<action>`: one audited change of a request (auditor
   * event `request-<action>`), answered with the request as it now is.
   */
  const requestAction = (
    action: string,
    severityLevel: 'medium' | 'high',
    act: (
      ctx: CallContext,
      id: string,
      body: unknown,
    ) => Promise<AccessRequest>,
    resultMeta?: (result: AccessRequest) => JsonObject,
  ) =>
    router.post(`/requests/:id/${action}`, async (req, res) => {
      const result = await audited(
        req,
        `request-${action}`,
        severityLevel,
        { requestId: req.params.id },
        async () => {
          const ctx = await access.callContext(req);
          return act(ctx, idOf(req), req.body);
        },
        resultMeta,
      );
      res.json(result);
    });
  const status = (r: AccessRequest) => ({ status: r.status });

  for (const [decision, schema] of [
    ['approve', approveBodySchema],
    ['reject', commentBodySchema],
  ] as const) {
    requestAction(
      decision,
      'high',
      (ctx, id, body) =>
        requests.decide(ctx, id, decision, parse(schema, body)),
      status,
    );
  }
  requestAction(
    'review',
    'high',
    (ctx, id, body) => requests.review(ctx, id, parse(reviewBodySchema, body)),
    r => ({ outcome: r.review?.outcome ?? null }),
  );
  requestAction('cancel', 'medium', (ctx, id, body) => {
    parse(cancelBodySchema, body);
    return requests.cancel(ctx, id);
  });
  requestAction(
    'revoke',
    'high',
    (ctx, id, body) => requests.revoke(ctx, id, parse(commentBodySchema, body)),
    status,
  );
  requestAction('retry', 'high', (ctx, id, body) => {
    parse(cancelBodySchema, body);
    return requests.retry(ctx, id);
  });
}
