import {
  activityCsvQuerySchema,
  activityQuerySchema,
  changesQuerySchema,
  decisionsCsvQuerySchema,
  decisionsQuerySchema,
  insightsQuerySchema,
  requestsCsvQuerySchema,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import express from 'express';
import { Audited, idOf, parse, RouterOptions } from './routeKit';

/** A request's activity, and the auditors' views and exports. */
export function addAuditRoutes(
  router: express.Router,
  options: RouterOptions,
  audited: Audited,
) {
  const { access, audit, history } = options;

  router.get('/requests/:id/activity', async (req, res) => {
    const ctx = await access.callContext(req);
    const id = idOf(req);
    const query = parse(activityQuerySchema, req.query);
    res.json(await audit.activity(ctx, id, query));
  });

  router.get('/audit/requests.csv', async (req, res) => {
    await audited(req, 'audit-export-requests', 'medium', {}, async () => {
      const ctx = await access.callContext(req);
      const query = parse(requestsCsvQuerySchema, req.query);
      await audit.requestsCsv(ctx, query, res);
    });
  });

  router.get('/audit/decisions', async (req, res) => {
    const ctx = await access.callContext(req);
    const query = parse(decisionsQuerySchema, req.query);
    res.json(await history.decisions(ctx, query));
  });

  router.get('/audit/decisions.csv', async (req, res) => {
    await audited(req, 'audit-export-decisions', 'medium', {}, async () => {
      const ctx = await access.callContext(req);
      const query = parse(decisionsCsvQuerySchema, req.query);
      await history.decisionsCsv(ctx, query, res);
    });
  });

  router.get('/audit/changes', async (req, res) => {
    const ctx = await access.callContext(req);
    const query = parse(changesQuerySchema, req.query);
    res.json(await history.changes(ctx, query));
  });

  router.get('/audit/activity.csv', async (req, res) => {
    await audited(req, 'audit-export-activity', 'medium', {}, async () => {
      const ctx = await access.callContext(req);
      const query = parse(activityCsvQuerySchema, req.query);
      await audit.activityCsv(ctx, query, res);
    });
  });

  router.get('/audit/insights', async (req, res) => {
    const ctx = await access.callContext(req);
    const query = parse(insightsQuerySchema, req.query);
    res.json(await audit.insights(ctx, query));
  });
}
