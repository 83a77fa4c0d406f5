import { z } from 'zod';
import { plural } from './terms';
import { ticketMatches } from './ticketPattern';

/*
 * The fields the input schemas share (ids, refs, typed text, tickets). Only
 * those marked public are exported from the package, through schemas.ts.
 */

/** Longest duration anyone can ask for, whatever the settings say (7 days). @public */
export const ABSOLUTE_MAX_DURATION_MINUTES = 7 * 24 * 60;

// Text that people type: no control characters except tab and line breaks.
export const CONTROL_CHARACTERS =
  // eslint-disable-next-line no-control-regex -- matching them is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Shortest and longest justification of a request, in characters. @public */
export const JUSTIFICATION_LIMITS = { min: 10, max: 2000 } as const;

/**
 * What people type, trimmed. Text over the limit is refused with its length
 * ("Justification is 2,940 characters; the limit is 2,000"), never cut.
 */
export const text = (label: string, min: number, max: number) =>
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

export const isoDateTime = (label: string) =>
  z.iso.datetime({
    offset: true,
    error: `${label} must be an ISO 8601 date and time with a time zone, e.g. 2026-11-21T09:00:00Z`,
  });

export const TICKET_SYNTAX = /^([A-Za-z0-9][A-Za-z0-9._#:/-]*)?$/;

export const optionalTicket = z
  .string('Ticket must be text')
  .trim()
  .max(64, 'Ticket must be at most 64 characters')
  .regex(
    TICKET_SYNTAX,
    'Ticket may contain letters, digits and . _ # : / - only',
  )
  .optional()
  .transform(v => (v ? v : undefined));

export const optionalComment = z
  .string('Comment must be text')
  .trim()
  .max(1000, 'Comment must be at most 1000 characters')
  .refine(v => !CONTROL_CHARACTERS.test(v), {
    message: 'Comment contains control characters',
  })
  .optional()
  .transform(v => (v ? v : undefined));

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
