import { z } from 'zod';
import { accountIdSchema, listRequestsQuerySchema } from './schemas';
import { RequestStatus } from './status';

/*
 * The auditors' history views: every approver decision (`/audit/decisions`)
 * and every policy or settings change (`/audit/changes`).
 */

/**
 * One approver's decision on a request, with what was decided on.
 *
 * @public
 */
export interface DecisionRecord {
  /** The decision's own id. */
  id: string;
  requestId: string;
  requesterRef: string;
  accountId: string;
  accountName: string;
  permissionSetArn: string;
  permissionSetName: string;
  /** The duration the requester asked for. */
  requestedDurationMinutes: number;
  /** The request's status now. */
  requestStatus: RequestStatus;
  approverRef: string;
  decision: 'approve' | 'reject';
  comment?: string;
  /** Set when the approver approved less time than asked: the duration approved. */
  durationMinutes?: number;
  createdAt: string;
}

/**
 * What a change history entry is about.
 *
 * @public
 */
export const CHANGE_ENTITY_TYPES = [
  'eligibility-policy',
  'approver-policy',
  'settings',
] as const;

/** @public */
export type ChangeEntityType = (typeof CHANGE_ENTITY_TYPES)[number];

/**
 * One change of a policy or of the settings: who, when, and the stored value
 * before and after (a creation has no before, a deletion no after).
 *
 * @public
 */
export interface ConfigChange {
  id: string;
  entityType: ChangeEntityType;
  /** The policy id, or `global` for the settings. */
  entityId: string;
  /** The policy's name (after the change, or before a deletion). */
  entityName?: string;
  action: string;
  actorRef: string;
  message?: string;
  before?: unknown;
  after?: unknown;
  createdAt: string;
}

const refFilter = (label: string) =>
  z
    .string()
    .trim()
    .max(255)
    .regex(/^[A-Za-z0-9:/._-]+$/, `${label} must be a user name or entity ref`)
    .optional();

const decisionFilters = {
  approver: refFilter('Approver'),
  requester: refFilter('Requester'),
  accountId: accountIdSchema.optional(),
  decision: z
    .enum(['approve', 'reject'], {
      error: 'Decision must be one of approve, reject',
    })
    .optional(),
  /** Decisions made at or after this instant. */
  from: listRequestsQuerySchema.shape.from,
  /** Decisions made before this instant. */
  to: listRequestsQuerySchema.shape.to,
};

/** `GET /audit/decisions` query. @public */
export const decisionsQuerySchema = z.strictObject({
  ...decisionFilters,
  cursor: listRequestsQuerySchema.shape.cursor,
  limit: listRequestsQuerySchema.shape.limit,
});

/** @public */
export type DecisionsQuery = z.infer<typeof decisionsQuerySchema>;

/** `GET /audit/decisions.csv` query. @public */
export const decisionsCsvQuerySchema = z.strictObject(decisionFilters);

/** @public */
export type DecisionsCsvQuery = z.infer<typeof decisionsCsvQuerySchema>;

/** `GET /audit/changes` query. @public */
export const changesQuerySchema = z.strictObject({
  type: z
    .enum(CHANGE_ENTITY_TYPES, {
      error: `Type must be one of ${CHANGE_ENTITY_TYPES.join(', ')}`,
    })
    .optional(),
  actor: refFilter('Actor'),
  from: listRequestsQuerySchema.shape.from,
  to: listRequestsQuerySchema.shape.to,
  cursor: listRequestsQuerySchema.shape.cursor,
  limit: listRequestsQuerySchema.shape.limit,
});

/** @public */
export type ChangesQuery = z.infer<typeof changesQuerySchema>;

/**
 * One field that a change set, changed or cleared. Lists also say which
 * items were added and removed.
 *
 * @public
 */
export interface FieldChange {
  /** The field's path, e.g. `maxDurationMinutes` or `conditions.ticket`. */
  field: string;
  before?: unknown;
  after?: unknown;
  added?: unknown[];
  removed?: unknown[];
}

/** Bookkeeping that every save changes; not part of what was decided. */
const BOOKKEEPING = new Set([
  'id',
  'version',
  'createdAt',
  'updatedAt',
  'updatedBy',
]);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const same = (a: unknown, b: unknown) =>
  JSON.stringify(a) === JSON.stringify(b);

function diffInto(
  out: FieldChange[],
  path: string,
  before: unknown,
  after: unknown,
) {
  if (same(before, after)) return;
  if (isPlainObject(before) || isPlainObject(after)) {
    const b = isPlainObject(before) ? before : {};
    const a = isPlainObject(after) ? after : {};
    if (
      (before !== undefined && !isPlainObject(before)) ||
      (after !== undefined && !isPlainObject(after))
    ) {
      out.push({ field: path, before, after });
      return;
    }
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    for (const key of keys) {
      if (!path && BOOKKEEPING.has(key)) continue;
      diffInto(out, path ? `${path}.${key}` : key, b[key], a[key]);
    }
    return;
  }
  const change: FieldChange = { field: path, before, after };
  if (Array.isArray(before) && Array.isArray(after)) {
    change.added = after.filter(x => !before.some(y => same(x, y)));
    change.removed = before.filter(x => !after.some(y => same(x, y)));
  }
  out.push(change);
}

/**
 * The fields a change set, changed or cleared, field by field (nested objects
 * by their path), without the bookkeeping every save changes (version, who
 * and when). A creation lists every field it set; a deletion every field it
 * removed.
 *
 * @public
 */
export function diffChange(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  diffInto(out, '', before, after);
  return out;
}
