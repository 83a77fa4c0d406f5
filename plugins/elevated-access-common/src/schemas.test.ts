import { fieldErrors } from './fieldErrors';
import {
  createRequestSchema,
  settingsInputSchema,
  ticketLink,
} from './schemas';
import { plural } from './terms';
import { accessWindow, formatMinutes, pendingDeadline } from './time';

/** Settings an admin saves: a ticket pattern and a link made from it. */
const settings = {
  maxDurationMinutes: 480,
  approvalRequired: true,
  ticketRequired: true,
  ticketPattern: '^OPS-[0-9]+$',
  ticketLinkTemplate: 'https://t.example.com/browse/{ticket}',
  commentRequiredOnReject: true,
  commentRequiredOnRevoke: true,
  pendingTimeoutMinutes: 1440,
  reminderBeforeExpiryMinutes: 15,
};

const valid = {
  accountId: '111111111111',
  permissionSetArn:
    'arn:aws:sso:::permissionSet/ssoins-0000000000000001/ps-0000000000000002',
  durationMinutes: 60,
  justification: '  Fix the broken deployment pipeline  ',
  ticketId: '  ',
};

describe('schemas', () => {
  it('trims text, drops an empty ticket and accepts other partitions', () => {
    const parsed = createRequestSchema.parse({
      ...valid,
      permissionSetArn: valid.permissionSetArn.replace(
        'arn:aws:',
        'arn:aws-us-gov:',
      ),
    });
    expect(parsed.justification).toBe('Fix the broken deployment pipeline');
    expect(parsed.ticketId).toBeUndefined();
  });

  it('requires a time zone on times', () => {
    expect(
      createRequestSchema.safeParse({
        ...valid,
        startTime: '2026-11-21T10:00:00',
      }).success,
    ).toBe(false);
    expect(
      createRequestSchema.safeParse({
        ...valid,
        startTime: '2026-11-21T10:00:00+02:00',
      }).success,
    ).toBe(true);
  });

  it('refuses ticket patterns that are not regular expressions', () => {
    const unparsable = {
      ...settings,
      ticketPattern: '([',
      ticketLinkTemplate: null,
    };
    expect(settingsInputSchema.safeParse(unparsable).success).toBe(false);
    expect(
      settingsInputSchema.safeParse({
        ...unparsable,
        ticketPattern: '^OPS-\\d+$',
      }).success,
    ).toBe(true);
    expect(
      settingsInputSchema.safeParse({
        ...unparsable,
        ticketPattern: null,
        ticketLinkTemplate: 'https://t.example.com/x',
      }).success,
    ).toBe(false);
  });
});

describe('wording and limits', () => {
  it('counts in words: one minute, many minutes', () => {
    expect(plural(1, 'minute')).toBe('1 minute');
    expect(plural(0, 'approval')).toBe('0 approvals');
    expect(plural(2940, 'character')).toBe('2,940 characters');
    const parsed = settingsInputSchema.safeParse({
      ...settings,
      maxDurationMinutes: 0,
      pendingTimeoutMinutes: 1,
    });
    expect(parsed.success).toBe(false);
    const errors = fieldErrors(parsed.error!);
    expect(errors.maxDurationMinutes).toBe(
      'Max duration must be at least 1 minute',
    );
    expect(errors.pendingTimeoutMinutes).toBe(
      'Pending timeout must be at least 5 minutes',
    );
  });

  it('refuses a justification over the limit with its length, never cuts it', () => {
    const parsed = createRequestSchema.safeParse({
      ...valid,
      justification: 'x'.repeat(2940),
    });
    expect(parsed.success).toBe(false);
    expect(fieldErrors(parsed.error!).justification).toBe(
      'Justification is 2,940 characters; the limit is 2,000',
    );
    expect(
      createRequestSchema.parse({ ...valid, justification: 'x'.repeat(2000) })
        .justification,
    ).toHaveLength(2000);
  });

  it('takes a ticket example only when it matches the pattern', () => {
    expect(
      settingsInputSchema.parse({ ...settings, ticketExample: ' OPS-123 ' })
        .ticketExample,
    ).toBe('OPS-123');
    expect(settingsInputSchema.parse(settings).ticketExample).toBeNull();
    const wrong = settingsInputSchema.safeParse({
      ...settings,
      ticketExample: 'JIRA-1',
    });
    expect(wrong.success).toBe(false);
    expect(fieldErrors(wrong.error!).ticketExample).toMatch(
      /does not match the ticket pattern/,
    );
    expect(
      settingsInputSchema.safeParse({
        ...settings,
        ticketPattern: null,
        ticketExample: 'JIRA-1',
      }).success,
    ).toBe(true);
  });

  it('links only tickets that are valid', () => {
    expect(ticketLink(settings, 'OPS-7')).toBe(
      'https://t.example.com/browse/OPS-7',
    );
    expect(ticketLink(settings, 'OPS-')).toBeUndefined();
    expect(ticketLink(settings, 'ops 7')).toBeUndefined();
    expect(ticketLink({ ...settings, ticketPattern: null }, 'A/1')).toBe(
      'https://t.example.com/browse/A%2F1',
    );
    expect(
      ticketLink({ ...settings, ticketLinkTemplate: null }, 'OPS-7'),
    ).toBeUndefined();
  });
});

describe('time helpers', () => {
  it('computes windows, deadlines and durations', () => {
    expect(accessWindow('2026-11-21T23:30:00+01:00', 90).end).toBe(
      '2026-11-22T00:00:00.000Z',
    );
    expect(
      pendingDeadline({
        createdAt: '2026-11-21T09:00:00Z',
        startTime: '2026-11-30T09:00:00Z',
        durationMinutes: 60,
        pendingTimeoutMinutes: 1440,
      }),
    ).toBe('2026-11-22T09:00:00.000Z');
    expect(formatMinutes(90)).toBe('1 h 30 min');
    expect(formatMinutes(2 * 24 * 60 + 240)).toBe('2 d 4 h');
    expect(formatMinutes(0)).toBe('0 min');
  });
});
