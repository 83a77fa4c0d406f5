import { z } from 'zod';
import {
  ABSOLUTE_MAX_DURATION_MINUTES,
  text,
  accountIdSchema,
  permissionSetArnSchema,
  ouIdSchema,
  principalRefSchema,
  optionalTicket,
} from './schemaFields';
import { isOwnerApproverToken } from './catalog';
import { plural } from './terms';
import { ticketMatches, ticketPatternProblem } from './ticketPattern';

/* Input schemas of the admin routes: eligibility and approver policies, settings. */

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
