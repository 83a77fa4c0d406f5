import { InputError, NotAllowedError } from '@backstage/errors';
import { BUILT_IN_SETTINGS } from '../config';
import { ACCOUNT, groupRef, PS } from '../__testUtils__/fixtures';
import { planRequest } from './requestRules';

const settings = { ...BUILT_IN_SETTINGS };
const NOW = new Date('2026-11-21T09:00:00Z');

/**
 * What planRequest knows besides the input, at NOW: payments-prod and
 * PowerUserAccess, approved by platform-leads (one approval, one approver
 * other than the requester), under these eligibility options.
 */
const planningWith = (
  options: Parameters<typeof planRequest>[0]['options'],
) => ({
  now: NOW,
  settings,
  accountName: 'payments-prod',
  permissionSetName: 'PowerUserAccess',
  approvers: {
    approverRefs: [groupRef('platform-leads')],
    minApprovals: 1,
    policyIds: [] as string[],
  },
  otherApprovers: 1,
  options,
});

describe('planning a request', () => {
  const base = planningWith([
    {
      maxDurationMinutes: 240,
      approvalRequired: true,
      ticketRequired: true,
      breakGlass: false,
      policyIds: ['e1'],
      policyNames: ['e1'],
    },
  ]);
  const input = {
    accountId: ACCOUNT['payments-prod'],
    permissionSetArn: PS.PowerUserAccess,
    durationMinutes: 60,
    justification: 'Fix the broken pipeline',
    ticketId: 'OPS-1',
  };

  it('starts now by default and expires undecided requests by the earlier deadline', () => {
    const plan = planRequest({ ...base, input });
    expect(plan).toMatchObject({
      status: 'pending',
      startTime: NOW,
      minApprovals: 1,
    });
    expect(plan.endTime.toISOString()).toBe('2026-11-21T10:00:00.000Z');
    // 24 h timeout, but the window ends after 1 h: never past start + duration
    expect(plan.expiresAt!.toISOString()).toBe('2026-11-21T10:00:00.000Z');
    const later = planRequest({
      ...base,
      input: { ...input, startTime: '2026-11-25T09:00:00+01:00' },
    });
    expect(later.startTime.toISOString()).toBe('2026-11-25T08:00:00.000Z');
    expect(later.expiresAt!.toISOString()).toBe('2026-11-22T09:00:00.000Z');
  });

  it('needs no approval when the terms waive it', () => {
    expect(
      planRequest({
        ...base,
        options: [{ ...base.options[0], approvalRequired: false }],
        input,
      }).status,
    ).toBe('approved');
  });

  it.each([
    [{ durationMinutes: 241 }, InputError, /at most 4 h/],
    [{ startTime: '2026-11-21T08:00:00Z' }, InputError, /in the past/],
    [
      { startTime: '2027-02-01T08:00:00Z' },
      InputError,
      /within the next 30 days/,
    ],
    [{ ticketId: undefined }, InputError, /ticket is required/],
  ])('refuses %j', (change, type, message) => {
    expect(() =>
      planRequest({ ...base, input: { ...input, ...change } }),
    ).toThrow(type);
    expect(() =>
      planRequest({ ...base, input: { ...input, ...change } }),
    ).toThrow(message);
  });

  it('checks the ticket against the configured pattern', () => {
    const strict = { ...settings, ticketPattern: '^[A-Z]+-\\d+$' };
    expect(() =>
      planRequest({
        ...base,
        settings: strict,
        input: { ...input, ticketId: 'ops 1' },
      }),
    ).toThrow(
      'Invalid input: ticketId: "ops 1" is not a valid ticket id. Check it in your ticket system',
    );
    // with an example set, the refusal shows it rather than the expression
    expect(() =>
      planRequest({
        ...base,
        settings: { ...strict, ticketExample: 'OPS-123' },
        input: { ...input, ticketId: 'ops 1' },
      }),
    ).toThrow(
      'Invalid input: ticketId: "ops 1" is not a valid ticket id. Ticket ids look like OPS-123',
    );
    expect(planRequest({ ...base, settings: strict, input }).ticketId).toBe(
      'OPS-1',
    );
  });

  it('refuses the ineligible, and requests nobody but the requester could approve', () => {
    expect(() => planRequest({ ...base, options: [], input })).toThrow(
      NotAllowedError,
    );
    expect(() => planRequest({ ...base, otherApprovers: 0, input })).toThrow(
      /other than you/,
    );
    expect(() =>
      planRequest({
        ...base,
        approvers: { approverRefs: [], minApprovals: 1, policyIds: [] },
        otherApprovers: 0,
        input,
      }),
    ).toThrow(/No approver policy/);
    expect(() =>
      planRequest({
        ...base,
        approvers: { ...base.approvers, minApprovals: 2 },
        otherApprovers: 1,
        input,
      }),
    ).toThrow(/needs 2 approvals/);
  });
});

describe('break-glass', () => {
  const option = {
    maxDurationMinutes: 240,
    approvalRequired: true,
    ticketRequired: false,
    breakGlass: false,
    policyIds: ['e1'],
    policyNames: ['Normal'],
  };
  const glass = {
    ...option,
    maxDurationMinutes: 60,
    breakGlass: true,
    policyIds: ['e2'],
    policyNames: ['Emergency'],
  };
  const base = planningWith([option, glass]);
  const input = {
    accountId: ACCOUNT['payments-prod'],
    permissionSetArn: PS.PowerUserAccess,
    durationMinutes: 60,
    justification: 'Production is down',
    ticketId: 'INC-1',
    breakGlass: true,
  };

  it('approves at once under the break-glass policy, starting now, with the approvers snapshotted', () => {
    expect(planRequest({ ...base, input })).toEqual({
      status: 'approved',
      startTime: NOW,
      endTime: new Date(NOW.getTime() + 60 * 60_000),
      approvalRequired: false,
      minApprovals: 1,
      approverRefs: [groupRef('platform-leads')],
      ticketId: 'INC-1',
      policyIds: ['e2'],
      breakGlass: { policyName: 'Emergency' },
    });
  });

  it('refuses without a policy allowing it, beyond its cap, without a ticket, later, or with nobody to review', () => {
    expect(() => planRequest({ ...base, options: [option], input })).toThrow(
      /^Invalid input: breakGlass: No policy allows break-glass for PowerUserAccess on payments-prod/,
    );
    expect(() =>
      planRequest({ ...base, input: { ...input, durationMinutes: 61 } }),
    ).toThrow(/^Invalid input: durationMinutes: Break-glass .* at most 1 h/);
    expect(() =>
      planRequest({ ...base, input: { ...input, ticketId: undefined } }),
    ).toThrow(
      'Invalid input: ticketId: A ticket is required for break-glass access',
    );
    expect(() =>
      planRequest({
        ...base,
        input: {
          ...input,
          startTime: new Date(NOW.getTime() + 2 * 60_000).toISOString(),
        },
      }),
    ).toThrow(/^Invalid input: startTime: Break-glass access starts now/);
    expect(() =>
      planRequest({
        ...base,
        input: {
          ...input,
          startTime: new Date(NOW.getTime() + 30_000).toISOString(),
        },
      }),
    ).not.toThrow();
    expect(() => planRequest({ ...base, otherApprovers: 0, input })).toThrow(
      /needs an approver to review it afterwards/,
    );
  });
});
