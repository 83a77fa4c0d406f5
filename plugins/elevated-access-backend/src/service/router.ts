import { AuditorService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  activityCsvQuerySchema,
  activityQuerySchema,
  approverPolicyInputSchema,
  changesQuerySchema,
  decisionsCsvQuerySchema,
  decisionsQuerySchema,
  cancelBodySchema,
  approveBodySchema,
  extendBodySchema,
  extensionDecisionBodySchema,
  commentBodySchema,
  createRequestSchema,
  eligibilityPolicyInputSchema,
  eligibilityQuerySchema,
  entityAccessQuerySchema,
  eligibleAccountsQuerySchema,
  insightsQuerySchema,
  listRequestsQuerySchema,
  requestIdSchema,
  requestsCsvQuerySchema,
  reviewBodySchema,
  settingsInputSchema,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { JsonObject } from '@backstage/types';
import express, { NextFunction, Request, Response } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { FieldInputError } from '../domain/FieldInputError';
import { EntityAccessService } from './EntityAccessService';
import { AccessControl } from './AccessControl';
import { AuditService } from './AuditService';
import { AuditHistoryService } from './AuditHistoryService';
import { PolicyService } from './PolicyService';
import { RequestService } from './RequestService';
import { ExtensionService } from './ExtensionService';
import { SettingsService } from './SettingsService';
import { TargetsService } from './TargetsService';
import {
  elevatedAccessAuditReadPermission,
  elevatedAccessPolicyManagePermission,
} from '@elevated-access/backstage-plugin-elevated-access-common';

export interface RouterOptions {
  access: AccessControl;
  requests: RequestService;
  extensions: ExtensionService;
  policies: PolicyService;
  settings: SettingsService;
  targets: TargetsService;
  audit: AuditService;
  /** The approval and change history (auditors, admins). */
  history: AuditHistoryService;
  /** Entity pages' view of who holds access to their accounts. */
  entityAccess: EntityAccessService;
  auditor: AuditorService;
}

/** Validates input with a shared schema; a failure is a 400 naming each field. */
function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw FieldInputError.fromZod(result.error);
  }
  return result.data;
}

const idOf = (req: Request) => parse(requestIdSchema, req.params.id);
const policyIdOf = (req: Request) =>
  parse(z.uuid('Policy id must be a UUID'), req.params.id);

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    access,
    requests,
    extensions,
    policies,
    settings,
    targets,
    audit,
    entityAccess,
    auditor,
  } = options;
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

  /**
   * Runs an action as an auditor event: success after it commits (with what
   * `resultMeta` adds, e.g. the id of what was created), failure (including
   * every denied attempt) with the error.
   */
  async function audited<T>(
    req: Request,
    eventId: string,
    severityLevel: 'low' | 'medium' | 'high',
    meta: JsonObject,
    fn: () => Promise<T>,
    resultMeta?: (result: T) => JsonObject,
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId,
      severityLevel,
      request: req,
      meta,
    });
    try {
      const result = await fn();
      await event.success(
        resultMeta ? { meta: resultMeta(result) } : undefined,
      );
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

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

  for (const decision of ['approve', 'reject'] as const) {
    router.post(`/requests/:id/${decision}`, async (req, res) => {
      const result = await audited(
        req,
        `request-${decision}`,
        'high',
        { requestId: req.params.id },
        async () => {
          const ctx = await access.callContext(req);
          const id = idOf(req);
          const body =
            decision === 'approve'
              ? parse(approveBodySchema, req.body)
              : parse(commentBodySchema, req.body);
          return requests.decide(ctx, id, decision, body);
        },
        r => ({ status: r.status }),
      );
      res.json(result);
    });
  }

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

  router.post('/requests/:id/review', async (req, res) => {
    const result = await audited(
      req,
      'request-review',
      'high',
      { requestId: req.params.id },
      async () => {
        const ctx = await access.callContext(req);
        const id = idOf(req);
        return requests.review(ctx, id, parse(reviewBodySchema, req.body));
      },
      r => ({ outcome: r.review?.outcome ?? null }),
    );
    res.json(result);
  });

  router.post('/requests/:id/cancel', async (req, res) => {
    const result = await audited(
      req,
      'request-cancel',
      'medium',
      { requestId: req.params.id },
      async () => {
        const ctx = await access.callContext(req);
        const id = idOf(req);
        parse(cancelBodySchema, req.body);
        return requests.cancel(ctx, id);
      },
    );
    res.json(result);
  });

  router.post('/requests/:id/revoke', async (req, res) => {
    const result = await audited(
      req,
      'request-revoke',
      'high',
      { requestId: req.params.id },
      async () => {
        const ctx = await access.callContext(req);
        const id = idOf(req);
        return requests.revoke(ctx, id, parse(commentBodySchema, req.body));
      },
      r => ({ status: r.status }),
    );
    res.json(result);
  });

  router.post('/requests/:id/retry', async (req, res) => {
    const result = await audited(
      req,
      'request-retry',
      'high',
      { requestId: req.params.id },
      async () => {
        const ctx = await access.callContext(req);
        const id = idOf(req);
        parse(cancelBodySchema, req.body);
        return requests.retry(ctx, id);
      },
    );
    res.json(result);
  });

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
    res.json(await options.history.decisions(ctx, query));
  });

  router.get('/audit/decisions.csv', async (req, res) => {
    await audited(req, 'audit-export-decisions', 'medium', {}, async () => {
      const ctx = await access.callContext(req);
      const query = parse(decisionsCsvQuerySchema, req.query);
      await options.history.decisionsCsv(ctx, query, res);
    });
  });

  router.get('/audit/changes', async (req, res) => {
    const ctx = await access.callContext(req);
    const query = parse(changesQuerySchema, req.query);
    res.json(await options.history.changes(ctx, query));
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
    const [manages, audits] = await Promise.all([
      access.allows(elevatedAccessPolicyManagePermission, ctx.credentials),
      access.allows(elevatedAccessAuditReadPermission, ctx.credentials),
    ]);
    if (!manages && !audits) {
      throw new NotAllowedError(
        'Only Elevated Access admins and auditors can browse the organisation',
      );
    }
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

  return router;
}
