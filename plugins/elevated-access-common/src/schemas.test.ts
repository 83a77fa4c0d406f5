import {
  createRequestSchema,
  describeInputError,
  parseFieldErrors,
  settingsInputSchema,
} from './schemas';
import { accessWindow, formatMinutes, pendingDeadline } from './time';

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

  it('names every problem per field, and the browser can read them back', () => {
    const result = createRequestSchema.safeParse({
      ...valid,
      durationMinutes: 0,
      justification: 'short',
      status: 'approved',
    });
    expect(result.success).toBe(false);
    const message = describeInputError(result.error!);
    expect(message).toContain(
      'durationMinutes: Duration must be at least 1 minute',
    );
    expect(parseFieldErrors(message)).toEqual({
      durationMinutes: 'Duration must be at least 1 minute',
      justification: 'Justification must be at least 10 characters',
      _: 'Unknown field: status',
    });
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
    const settings = {
      maxDurationMinutes: 480,
      approvalRequired: true,
      ticketRequired: true,
      ticketPattern: '([',
      ticketLinkTemplate: null,
      commentRequiredOnReject: true,
      commentRequiredOnRevoke: true,
      pendingTimeoutMinutes: 1440,
      reminderBeforeExpiryMinutes: 15,
    };
    expect(settingsInputSchema.safeParse(settings).success).toBe(false);
    expect(
      settingsInputSchema.safeParse({
        ...settings,
        ticketPattern: '^OPS-\\d+$',
      }).success,
    ).toBe(true);
    expect(
      settingsInputSchema.safeParse({
        ...settings,
        ticketPattern: null,
        ticketLinkTemplate: 'https://t.example.com/x',
      }).success,
    ).toBe(false);
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
