import { z } from 'zod';
import { REQUEST_STATUSES } from './status';
import { isOwnerApproverToken } from './catalog';
import { plural } from './terms';
import { ticketMatches, ticketPatternProblem } from './ticketPattern';

/*
 * Input schemas shared by the browser (form validation) and the backend
 * (authoritative validation). Every object is strict: unknown fields, such as
 * `status` or `approvers` in a create body, are errors rather than ignored.
 */

/** Longest duration anyone can ask for, whatever the settings say (7 days). @public */
export const ABSOLUTE_MAX_DURATION_MINUTES = 7 * 24 * 60;

// Text that people type: no control characters except tab and line breaks.
// eslint-disable-next-line no-control-regex -- matching them is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Shortest and longest justification of a request, in characters. @public */
export const JUSTIFICATION_LIMITS = { min: 10, max: 2000 } as const;

/**
 * What people type, trimmed. Text over the limit is refused with its length
 * ("Justification is 2,940 characters; the limit is 2,000"), never cut.
 */
const text = (label: string, min: number, max: number) =>
  z
    .string(`${label} must be text`)
    .trim()
    .min(
      min,
      min === 1
        ? `${label} is required`
        : `${label} must be at least ${plural(min, 'character')}`,
    )
    .superRefine((v, ctx) => {
      if (v.length > max) {
        ctx.addIssue({
          code: 'custom',
          message: `${label} is ${plural(
            v.length,
            'character',
          )}; the limit is ${max.toLocaleString('en-US')}`,
        });
      }
    })
    .refine(v => !CONTROL_CHARACTERS.test(v), {
      message: `${label} contains control characters`,
    });

/** @public */
export const accountIdSchema = z
  .string('Account id must be text')
  .regex(/^\d{12}$/, 'Account id must be 12 digits');

/** Any AWS partition (aws, aws-us-gov, aws-cn). @public */
export const permissionSetArnSchema = z
  .string('Permission set must be an ARN')
  .regex(
    /^arn:aws[a-z-]*:sso:::permissionSet\/ssoins-[0-9a-z]{16}\/ps-[0-9a-z]{16}$/,
    'Permission set must be an IAM Identity Center permission set ARN',
  );

/** An OU id or the organisation root id. @public */
export const ouIdSchema = z
  .string('OU id must be text')
  .regex(
    /^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/,
    'OU must be an OU id (ou-…) or the root id (r-…)',
  );

/**
 * A catalog user or group ref, e.g. `group:default/platform-leads`, in any
 * case; without a kind it names a user, without a namespace `default` (the
 * backend stores every ref lower-cased and in full).
 *
 * @public
 */
export const principalRefSchema = z
  .string('Entity ref must be text')
  .trim()
  .max(255, 'Entity ref must be at most 255 characters')
  .regex(
    /^((user|group):)?([a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/i,
    'Entity ref must look like user:default/name, group:default/name or a user name',
  );

const isoDateTime = (label: string) =>
  z.iso.datetime({
    offset: true,
    error: `${label} must be an ISO 8601 date and time with a time zone, e.g. 2026-11-21T09:00:00Z`,
  });

const TICKET_SYNTAX = /^([A-Za-z0-9][A-Za-z0-9._#:/-]*)?$/;

const optionalTicket = z
  .string('Ticket must be text')
  .trim()
  .max(64, 'Ticket must be at most 64 characters')
  .regex(
    TICKET_SYNTAX,
    'Ticket may contain letters, digits and . _ # : / - only',
  )
  .optional()
  .transform(v => (v ? v : undefined));

const optionalComment = z
  .string('Comment must be text')
  .trim()
  .max(1000, 'Comment must be at most 1000 characters')
  .refine(v => !CONTROL_CHARACTERS.test(v), {
    message: 'Comment contains control characters',
  })
  .optional()
  .transform(v => (v ? v : undefined));

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
  durationMinutes: z
    .number('Duration must be a number of minutes')
    .int('Duration must be whole minutes')
    .min(1, 'Duration must be at least 1 minute')
    .max(
      ABSOLUTE_MAX_DURATION_MINUTES,
      `Duration must be at most ${plural(
        ABSOLUTE_MAX_DURATION_MINUTES,
        'minute',
      )} (7 days)`,
    ),
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
  durationMinutes: z
    .number('Duration must be a number of minutes')
    .int('Duration must be a whole number of minutes')
    .min(1, 'Duration must be at least 1 minute')
    .max(
      ABSOLUTE_MAX_DURATION_MINUTES,
      `Duration must be at most ${plural(
        ABSOLUTE_MAX_DURATION_MINUTES,
        'minute',
      )} (7 days)`,
    )
    .optional(),
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

const policyName = text('Name', 1, 200);
const versionField = z
  .number('Version must be a number')
  .int('Version must be a whole number')
  .min(1, 'Version must be at least 1')
  .optional();

/** Settings start at version 0: nothing saved yet, only app-config defaults. */
const settingsVersionField = z
  .number('Version must be a number')
  .int('Version must be a whole number')
  .min(0, 'Version must be 0 or more')
  .optional();

/** Create or replace an eligibility policy. @public */
export const eligibilityPolicyInputSchema = z
  .strictObject({
    name: policyName,
    principals: z
      .array(principalRefSchema, 'Principals must be a list of entity refs')
      .min(1, 'Name at least one user or group')
      .max(200, 'At most 200 principals'),
    accounts: z
      .array(accountIdSchema)
      .max(1000, 'At most 1000 accounts')
      .default([]),
    ous: z.array(ouIdSchema).max(200, 'At most 200 OUs').default([]),
    permissionSets: z
      .array(permissionSetArnSchema)
      .min(1, 'Choose at least one permission set')
      .max(200, 'At most 200 permission sets'),
    maxDurationMinutes: z
      .number('Max duration must be a number of minutes')
      .int('Max duration must be whole minutes')
      .min(1, 'Max duration must be at least 1 minute')
      .max(
        ABSOLUTE_MAX_DURATION_MINUTES,
        'Max duration must be at most 7 days',
      ),
    approvalRequired: z.boolean('Approval required must be true or false'),
    ticketRequired: z.boolean('Ticket required must be true or false'),
    /**
     * Break-glass allowed: a request may skip approval (ticket required,
     * starts now, reviewed afterwards). Absent: false.
     */
    breakGlass: z.boolean('Break-glass must be true or false').optional(),
    /** The version being replaced; a mismatch means someone else changed it. */
    version: versionField,
  })
  .refine(p => p.accounts.length + p.ous.length > 0, {
    message: 'Choose at least one account or OU',
    path: ['accounts'],
  });

/** @public */
export type EligibilityPolicyInput = z.infer<
  typeof eligibilityPolicyInputSchema
>;

const approvalCount = (label: string) =>
  z
    .number(`${label} must be a number`)
    .int(`${label} must be a whole number`)
    .min(1, `${label} must be at least 1`)
    .max(10, `${label} must be at most 10`);

/**
 * An approver policy entry: a user or group ref, or `owner` / `system-owner`
 * for the account's owners in the catalog (kept as lower-case tokens).
 */
const approverEntrySchema = z
  .string('Approver must be text')
  .trim()
  .refine(
    v => isOwnerApproverToken(v) || principalRefSchema.safeParse(v).success,
    'Approver must be user:default/name, group:default/name, a user name, owner or system-owner',
  )
  .transform(v => (isOwnerApproverToken(v) ? v.toLocaleLowerCase('en-US') : v));

/** Create or replace an approver policy. @public */
export const approverPolicyInputSchema = z
  .strictObject({
    name: policyName,
    accounts: z
      .array(accountIdSchema)
      .max(1000, 'At most 1000 accounts')
      .default([]),
    ous: z.array(ouIdSchema).max(200, 'At most 200 OUs').default([]),
    permissionSets: z.array(permissionSetArnSchema).max(200).default([]),
    approvers: z
      .array(
        approverEntrySchema,
        'Approvers must be a list of entity refs, owner or system-owner',
      )
      .min(1, 'Name at least one approver (user, group, owner or system-owner)')
      .max(200, 'At most 200 approvers'),
    minApprovals: approvalCount('Minimum approvals').default(1),
    sensitiveMinApprovals: approvalCount(
      'Approvals for sensitive accounts',
    ).optional(),
    version: versionField,
  })
  .refine(p => p.accounts.length + p.ous.length > 0, {
    message: 'Choose at least one account or OU',
    path: ['accounts'],
  })
  .refine(
    p =>
      p.sensitiveMinApprovals === undefined ||
      p.sensitiveMinApprovals >= p.minApprovals,
    {
      message:
        'Approvals for sensitive accounts must be at least the minimum approvals',
      path: ['sensitiveMinApprovals'],
    },
  );

/** @public */
export type ApproverPolicyInput = z.infer<typeof approverPolicyInputSchema>;

const minutes = (label: string, min: number, max: number) =>
  z
    .number(`${label} must be a number of minutes`)
    .int(`${label} must be whole minutes`)
    .min(min, `${label} must be at least ${plural(min, 'minute')}`)
    .max(max, `${label} must be at most ${plural(max, 'minute')}`);

/** `PUT /settings`: the whole settings object. @public */
export const settingsInputSchema = z
  .strictObject({
    maxDurationMinutes: minutes(
      'Max duration',
      1,
      ABSOLUTE_MAX_DURATION_MINUTES,
    ),
    approvalRequired: z.boolean('Approval required must be true or false'),
    ticketRequired: z.boolean('Ticket required must be true or false'),
    ticketPattern: z
      .string('Ticket pattern must be text')
      .trim()
      .max(200, 'Ticket pattern must be at most 200 characters')
      .superRefine((pattern, ctx) => {
        const problem = ticketPatternProblem(pattern);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .nullable()
      .transform(v => (v ? v : null)),
    ticketLinkTemplate: z
      .string('Ticket link must be text')
      .trim()
      .max(500, 'Ticket link must be at most 500 characters')
      .regex(/^https?:\/\/[^\s]+$/, 'Ticket link must be an http(s) URL')
      .refine(v => v.includes('{ticket}'), {
        message: 'Ticket link must contain {ticket}',
      })
      .nullable()
      .or(z.literal('').transform(() => null)),
    /**
     * A ticket id shown to requesters as the example ("For example OPS-123");
     * absent or empty: none.
     */
    ticketExample: optionalTicket.nullable().transform(v => (v ? v : null)),
    commentRequiredOnReject: z.boolean(),
    commentRequiredOnRevoke: z.boolean(),
    pendingTimeoutMinutes: minutes('Pending timeout', 5, 30 * 24 * 60),
    reminderBeforeExpiryMinutes: minutes('Reminder', 0, 24 * 60),
    /** Absent: the configured default. */
    endsSoonMinutes: minutes('Ends soon notice', 0, 24 * 60).optional(),
    version: settingsVersionField,
  })
  .superRefine((s, ctx) => {
    if (
      s.ticketPattern &&
      s.ticketExample &&
      !ticketPatternProblem(s.ticketPattern) &&
      !ticketMatches(s.ticketPattern, s.ticketExample)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['ticketExample'],
        message: `The example ${s.ticketExample} does not match the ticket pattern; change the example or the pattern`,
      });
    }
  });

/** @public */
export type SettingsInput = z.infer<typeof settingsInputSchema>;

/**
 * The link to a ticket, only when the ticket id is one a request accepts
 * (its syntax and the admin's pattern) and a link template is set: a
 * half-typed or wrong id gets no "Open ticket" link.
 *
 * @public
 */
export function ticketLink(
  settings: {
    ticketPattern: string | null;
    ticketLinkTemplate: string | null;
  },
  ticketId: string | undefined,
): string | undefined {
  const ticket = ticketId?.trim();
  if (!ticket || !settings.ticketLinkTemplate) return undefined;
  if (ticket.length > 64 || !TICKET_SYNTAX.test(ticket)) return undefined;
  if (
    settings.ticketPattern &&
    !ticketMatches(settings.ticketPattern, ticket)
  ) {
    return undefined;
  }
  return settings.ticketLinkTemplate.replace(
    '{ticket}',
    encodeURIComponent(ticket),
  );
}
