import { z } from 'zod';
import {
  ABSOLUTE_MAX_DURATION_MINUTES,
  JUSTIFICATION_LIMITS,
  text,
  accountIdSchema,
  permissionSetArnSchema,
  isoDateTime,
  optionalTicket,
  optionalComment,
} from './schemaFields';
import { REQUEST_STATUSES } from './status';
import { plural } from './terms';

/* Input schemas of the request, list, export and insights routes. */

/**
 * A duration in minutes, up to the absolute maximum; `whole` says why a
 * fraction is refused.
 */
const durationMinutesSchema = (whole: string) =>
  z
    .number('Duration must be a number of minutes')
    .int(whole)
    .min(1, 'Duration must be at least 1 minute')
    .max(
      ABSOLUTE_MAX_DURATION_MINUTES,
      `Duration must be at most ${plural(
        ABSOLUTE_MAX_DURATION_MINUTES,
        'minute',
      )} (7 days)`,
    );

/**
 * `POST /requests`.
 *
 * @public
 */
export const createRequestSchema = z.strictObject({
  accountId: accountIdSchema,
  permissionSetArn: permissionSetArnSchema,
  /** Omitted: now. */
  startTime: isoDateTime('Start time').optional(),
  durationMinutes: durationMinutesSchema('Duration must be whole minutes'),
  justification: text(
    'Justification',
    JUSTIFICATION_LIMITS.min,
    JUSTIFICATION_LIMITS.max,
  ),
  ticketId: optionalTicket,
  /**
   * Break-glass: access now without approval, under a policy that allows it;
   * needs a ticket, starts now, notifies approvers and auditors at once and
   * is reviewed afterwards.
   */
  breakGlass: z.boolean('Break-glass must be true or false').optional(),
});

/** @public */
export type CreateRequestInput = z.infer<typeof createRequestSchema>;

/** `POST /requests/:id/approve`, `/reject`, `/revoke` (the comment may be required by settings). @public */
export const commentBodySchema = z.strictObject({
  comment: optionalComment,
});

/** @public */
export type CommentInput = z.infer<typeof commentBodySchema>;

/**
 * `POST /requests/:id/approve`: a comment, and optionally a shorter duration
 * than the request asked for.
 *
 * @public
 */
export const approveBodySchema = z.strictObject({
  comment: optionalComment,
  durationMinutes: durationMinutesSchema(
    'Duration must be a whole number of minutes',
  ).optional(),
});

/** @public */
export type ApproveInput = z.infer<typeof approveBodySchema>;

/** The outcomes of a break-glass review. @public */
export const REVIEW_OUTCOMES = ['appropriate', 'inappropriate'] as const;

/**
 * `POST /requests/:id/review`: an approver's verdict on a break-glass
 * request once its activity is complete; a comment is required for
 * `inappropriate`.
 *
 * @public
 */
export const reviewBodySchema = z
  .strictObject({
    outcome: z.enum(REVIEW_OUTCOMES, {
      error: 'Outcome must be appropriate or inappropriate',
    }),
    comment: optionalComment,
  })
  .refine(b => b.outcome !== 'inappropriate' || Boolean(b.comment), {
    message: 'Say what was inappropriate in a comment',
    path: ['comment'],
  });

/** @public */
export type ReviewInput = z.infer<typeof reviewBodySchema>;

/** `POST /requests/:id/cancel`. @public */
export const cancelBodySchema = z.strictObject({});

const limitSchema = z.coerce
  .number('Limit must be a number')
  .int('Limit must be a whole number')
  .min(1, 'Limit must be at least 1')
  .max(500, 'Limit must be at most 500')
  .default(50);

const cursorSchema = z
  .string()
  .max(512, 'Cursor is not valid')
  .regex(/^[A-Za-z0-9_-]+$/, 'Cursor is not valid')
  .optional();

/** `used=true|false`: grants whose activity showed use, or none. */
const usedSchema = z
  .enum(['true', 'false'], { error: 'Used must be true or false' })
  .transform(v => v === 'true')
  .optional();

/** `GET /requests` query. @public */
export const listRequestsQuerySchema = z.strictObject({
  view: z
    .enum(['mine', 'approvals', 'decided', 'reviews', 'all'], {
      error: 'View must be one of mine, approvals, decided, reviews, all',
    })
    .default('mine'),
  status: z
    .string()
    .max(200)
    .transform(v =>
      v
        .split(',')
        .map(s => s.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z.enum(REQUEST_STATUSES, {
          error: `Status must be one of ${REQUEST_STATUSES.join(', ')}`,
        }),
      ),
    )
    .optional(),
  accountId: accountIdSchema.optional(),
  requester: z
    .string()
    .trim()
    .max(255)
    .regex(/^[A-Za-z0-9:/._-]+$/, 'Requester must be a user name or entity ref')
    .optional(),
  from: isoDateTime('From').optional(),
  to: isoDateTime('To').optional(),
  used: usedSchema,
  /** `breakGlass=true|false`: break-glass requests only, or none. */
  breakGlass: z
    .enum(['true', 'false'], { error: 'Break-glass must be true or false' })
    .transform(v => v === 'true')
    .optional(),
  /**
   * `review=awaiting|appropriate|inappropriate`: break-glass requests whose
   * access happened and that await review, or reviewed with that outcome.
   */
  review: z
    .enum(['awaiting', ...REVIEW_OUTCOMES], {
      error: 'Review must be one of awaiting, appropriate, inappropriate',
    })
    .optional(),
  cursor: cursorSchema,
  limit: limitSchema,
});

/** @public */
export type ListRequestsQuery = z.infer<typeof listRequestsQuerySchema>;

/**
 * `GET /eligibility` query: without `accountId`, every pair the caller may
 * request (fine for small organisations); with it, that account's only.
 *
 * @public
 */
export const eligibilityQuerySchema = z.strictObject({
  accountId: accountIdSchema.optional(),
});

/** @public */
export type EligibilityQuery = z.infer<typeof eligibilityQuerySchema>;

/**
 * `GET /entity-access` query: the full ref of a catalog entity, e.g.
 * `component:default/payments-service`.
 *
 * @public
 */
export const entityAccessQuerySchema = z.strictObject({
  entityRef: z
    .string('Entity ref must be text')
    .trim()
    .min(1, 'Give the entity ref, e.g. component:default/payments-service')
    .max(255, 'Entity ref must be at most 255 characters')
    .regex(
      /^[a-z0-9][a-z0-9_-]*:([a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/i,
      'Entity ref must look like kind:namespace/name, e.g. component:default/payments-service',
    ),
});

/** @public */
export type EntityAccessQuery = z.infer<typeof entityAccessQuerySchema>;

/** Most accounts one search of eligible accounts returns. @public */
export const ELIGIBLE_ACCOUNTS_MAX_LIMIT = 200;

/**
 * `GET /eligibility/accounts` query: the search of the form's account picker
 * (account name, id, OU name or path; empty: the first accounts by name).
 *
 * @public
 */
export const eligibleAccountsQuerySchema = z.strictObject({
  q: z
    .string('Search must be text')
    .trim()
    .max(200, 'Search must be at most 200 characters')
    .default(''),
  limit: z.coerce
    .number('Limit must be a number')
    .int('Limit must be a whole number')
    .min(1, 'Limit must be at least 1')
    .max(
      ELIGIBLE_ACCOUNTS_MAX_LIMIT,
      `Limit must be at most ${ELIGIBLE_ACCOUNTS_MAX_LIMIT}`,
    )
    .default(50),
});

/** @public */
export type EligibleAccountsQuery = z.infer<typeof eligibleAccountsQuerySchema>;

/** `GET /requests/:id/activity` query. @public */
export const activityQuerySchema = z.strictObject({
  q: z
    .string()
    .trim()
    .max(200, 'Search must be at most 200 characters')
    .optional(),
  cursor: cursorSchema,
  limit: limitSchema,
});

/**
 * The filters of a request list without its view and paging: what a CSV
 * export of that list takes (`GET /audit/requests.csv`,
 * `GET /requests/decided.csv`), so the file holds exactly the rows the list
 * shows for the same filters.
 *
 * @public
 */
export const requestsCsvQuerySchema = listRequestsQuerySchema.omit({
  view: true,
  cursor: true,
  limit: true,
});

/** @public */
export type RequestFilters = z.infer<typeof requestsCsvQuerySchema>;

/**
 * `GET /audit/activity.csv` query: the activity of the requests a list shows
 * for the same filters (or of one request), and the activity search's text.
 *
 * @public
 */
export const activityCsvQuerySchema = requestsCsvQuerySchema.extend({
  requestId: z.uuid('Request id must be a UUID').optional(),
  q: activityQuerySchema.shape.q,
});

/** @public */
export type ActivityCsvQuery = z.infer<typeof activityCsvQuerySchema>;

/** `GET /audit/insights` query. @public */
export const insightsQuerySchema = z.strictObject({
  from: isoDateTime('From').optional(),
  to: isoDateTime('To').optional(),
  bucket: z
    .enum(['day', 'week'], { error: 'Bucket must be day or week' })
    .default('week'),
});

/** @public */
export type InsightsQuery = z.infer<typeof insightsQuerySchema>;

/** A request id path parameter. @public */
export const requestIdSchema = z.uuid('Request id must be a UUID');
