import {
  createRequestSchema,
  CreateRequestInput,
  EligiblePair,
  fieldErrors,
  SettingsResponse,
  ticketMatches,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { DateTime } from 'luxon';
import { FormState } from './requestFormState';
import { isBreakGlass, optionFor } from './requestTerms';

/** The ticket's help text: the admin's example, never a regular expression. */
export function ticketHelp(
  settings: Pick<SettingsResponse, 'ticketPattern' | 'ticketExample'>,
): string {
  if (settings.ticketExample) return `For example ${settings.ticketExample}`;
  return settings.ticketPattern
    ? 'The id of your change or incident ticket, as your ticket system shows it'
    : 'The id of your change or incident ticket';
}

/** What the client checks before sending, with the same schema as the server. */
export function validateRequest(
  form: FormState,
  pair: EligiblePair | undefined,
  settings: Pick<SettingsResponse, 'ticketPattern' | 'ticketExample'>,
): { errors: Record<string, string>; body?: CreateRequestInput } {
  const errors: Record<string, string> = {};
  if (!form.account) errors.accountId = 'Choose an account';
  if (!form.permissionSet) errors.permissionSetArn = 'Choose a permission set';
  const breakGlass = isBreakGlass(form, pair);
  let startTime: string | undefined;
  // break-glass starts now: the start time is not asked for
  if (form.startMode === 'later' && !breakGlass) {
    const start = DateTime.fromISO(form.startLocal);
    if (!form.startLocal || !start.isValid)
      errors.startTime = 'Choose a start date and time';
    else if (start < DateTime.local().minus({ minutes: 5 })) {
      errors.startTime =
        'Start time is in the past; choose "Now" to start at once';
    } else startTime = start.toUTC().toISO()!;
  }
  const body = {
    accountId: form.account?.id ?? '',
    permissionSetArn: form.permissionSet?.arn ?? '',
    startTime,
    durationMinutes: Number(form.durationMinutes),
    justification: form.justification,
    ticketId: form.ticketId || undefined,
    ...(breakGlass ? { breakGlass: true } : {}),
  };
  const parsed = createRequestSchema.safeParse(body);
  if (!parsed.success) {
    for (const [field, message] of Object.entries(fieldErrors(parsed.error))) {
      if (!errors[field]) errors[field] = message;
    }
  }
  const ticket = form.ticketId.trim();
  if (breakGlass && !ticket && !errors.ticketId) {
    errors.ticketId = 'A ticket is required for break-glass access';
  }
  const choice = optionFor(form, pair);
  if (choice && !choice.ok && !errors[choice.field]) {
    errors[choice.field] = choice.message;
  }
  if (
    ticket &&
    !errors.ticketId &&
    settings.ticketPattern &&
    // linear-time matching: an admin's pattern never freezes the page
    !ticketMatches(settings.ticketPattern, ticket)
  ) {
    errors.ticketId = settings.ticketExample
      ? `${ticket} is not a ticket id we accept; for example ${settings.ticketExample}`
      : `${ticket} is not a ticket id we accept; check it in your ticket system`;
  }
  return Object.keys(errors).length || !parsed.success
    ? { errors }
    : { errors, body: parsed.data };
}
