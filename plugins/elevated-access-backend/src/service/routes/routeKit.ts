import { AuditorService } from '@backstage/backend-plugin-api';
import { requestIdSchema } from '@elevated-access/backstage-plugin-elevated-access-common';
import { JsonObject } from '@backstage/types';
import { Request } from 'express';
import { z } from 'zod';
import { FieldInputError } from '../../domain/FieldInputError';
import { AccessControl } from '../AccessControl';
import { AuditHistoryService } from '../AuditHistoryService';
import { AuditService } from '../AuditService';
import { EntityAccessService } from '../EntityAccessService';
import { ExtensionService } from '../ExtensionService';
import { PolicyService } from '../PolicyService';
import { RequestService } from '../RequestService';
import { SettingsService } from '../SettingsService';
import { TargetsService } from '../TargetsService';

/** The services the routes call. */
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
export function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw FieldInputError.fromZod(result.error);
  }
  return result.data;
}

export const idOf = (req: Request) => parse(requestIdSchema, req.params.id);
export const policyIdOf = (req: Request) =>
  parse(z.uuid('Policy id must be a UUID'), req.params.id);

/**
 * Runs an action as an auditor event: success after it commits (with what
 * `resultMeta` adds, e.g. the id of what was created), failure (including
 * every denied attempt) with the error.
 */
export type Audited = <T>(
  req: Request,
  eventId: string,
  severityLevel: 'low' | 'medium' | 'high',
  meta: JsonObject,
  fn: () => Promise<T>,
  resultMeta?: (result: T) => JsonObject,
) => Promise<T>;

/** Audited actions recorded by the plugin's auditor. */
export function auditedBy(auditor: AuditorService): Audited {
  return async (req, eventId, severityLevel, meta, fn, resultMeta) => {
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
  };
}
