import { InputError, NotAllowedError } from '@backstage/errors';
import fc from 'fast-check';
import {
  chooseEligibilityOption,
  eligibilityOptions,
  ApproverPolicy,
  EligibilityPolicy,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { BUILT_IN_SETTINGS } from '../config';
import {
  ACCOUNT,
  DEMO_APPROVERS,
  DEMO_ELIGIBILITY,
  demoTargets,
  groupRef,
  OU,
  ownershipOf,
  PS,
  ROOT,
  userRef,
} from '../__testUtils__/fixtures';
import { resolveApprovers } from './approvers';
import { eligiblePairs, matchingEligibilityPolicies } from './eligibility';
import { OrgTree } from './OrgTree';
import { planRequest } from './requestRules';

const tree = new OrgTree(demoTargets());
const caller = (name: string) => ({
  userEntityRef: userRef(name),
  ownershipEntityRefs: ownershipOf(name),
});
const meta = { version: 1, createdAt: '', updatedAt: '', updatedBy: '' };
const eligibility: EligibilityPolicy[] = DEMO_ELIGIBILITY.map((p, i) => ({
  ...p,
  breakGlass: Boolean(p.breakGlass),
  id: `e${i}`,
  ...meta,
}));
const approverPolicies: ApproverPolicy[] = DEMO_APPROVERS.map((p, i) => ({
  ...p,
  id: `a${i}`,
  ...meta,
}));
const settings = { ...BUILT_IN_SETTINGS };
const NOW = new Date('2026-11-21T09:00:00Z');

describe('OrgTree', () => {
  it('walks nested OUs up to the root and names the path', () => {
    expect(tree.ancestors(ACCOUNT['payments-prod'])).toEqual([
      OU.Production,
      OU.Workloads,
      ROOT,
    ]);
    expect(tree.ouPath(ACCOUNT['payments-prod']).map(o => o.name)).toEqual([
      'Workloads',
      'Production',
    ]);
    expect(
      tree.covers({ accounts: [], ous: [OU.Workloads] }, ACCOUNT['data-dev']),
    ).toBe(true);
    expect(
      tree.covers({ accounts: [], ous: [OU.Workloads] }, ACCOUNT.audit),
    ).toBe(false);
    expect(
      tree.covers({ accounts: [ACCOUNT.audit], ous: [] }, ACCOUNT.audit),
    ).toBe(true);
    expect(tree.covers({ accounts: [], ous: [ROOT] }, ACCOUNT.audit)).toBe(
      true,
    );
  });
});

describe('eligibility', () => {
  it('offers developers ReadOnly and PowerUser on every workload account, nothing else', () => {
    const pairs = eligiblePairs({
      caller: caller('alice'),
      policies: eligibility,
      tree,
      settings,
    });
    const accounts = new Set(pairs.map(p => p.accountId));
    expect([...accounts].sort()).toEqual(
      [
        ACCOUNT['payments-prod'],
        ACCOUNT['data-prod'],
        ACCOUNT['payments-dev'],
        ACCOUNT['data-dev'],
      ].sort(),
    );
    expect(pairs).toHaveLength(8);
    const power = pairs.find(
      p =>
        p.accountId === ACCOUNT['payments-prod'] &&
        p.permissionSetArn === PS.PowerUserAccess,
    )!;
    expect(power).toMatchObject({
      maxDurationMinutes: 240,
      approvalRequired: true,
      ticketRequired: true,
    });
    const read = pairs.find(p => p.permissionSetArn === PS.ReadOnlyAccess)!;
    expect(read).toMatchObject({
      maxDurationMinutes: 480,
      approvalRequired: false,
      ticketRequired: false,
    });
    expect(
      eligiblePairs({
        caller: caller('bob'),
        policies: eligibility,
        tree,
        settings,
      }),
    ).toEqual([]);
  });

  it("gives one option per policy, never one policy's cap with another's waivers", () => {
    // the reproduction: a 4 h policy with approval and ticket, plus a
    // 30 min policy without either, on the same pair
    const quick: EligibilityPolicy = {
      ...eligibility[1],
      id: 'quick',
      name: 'Developers: quick fixes on payments-dev',
      ous: [],
      accounts: [ACCOUNT['payments-dev']],
      maxDurationMinutes: 30,
      approvalRequired: false,
      ticketRequired: false,
    };
    const policies = [...eligibility, quick];
    const options = (accountId: string, s = settings) =>
      eligibilityOptions(
        matchingEligibilityPolicies({
          caller: caller('alice'),
          policies,
          tree,
          accountId,
          permissionSetArn: PS.PowerUserAccess,
        }),
        s,
      );
    const dev = options(ACCOUNT['payments-dev']);
    expect(dev.map(o => [o.maxDurationMinutes, o.approvalRequired])).toEqual([
      [30, false],
      [240, true],
    ]);
    const choose = (durationMinutes: number, hasTicket: boolean) =>
      chooseEligibilityOption(
        dev,
        { durationMinutes, hasTicket },
        'PowerUserAccess on payments-dev',
      );
    // 240 minutes without a ticket: only the 4 h policy allows 240 minutes,
    // and it wants a ticket (before: approved at once, no ticket)
    expect(choose(240, false)).toEqual({
      ok: false,
      field: 'ticketId',
      message:
        'A ticket is required for PowerUserAccess on payments-dev for more than 30 min',
    });
    expect(choose(240, true)).toMatchObject({
      ok: true,
      option: { approvalRequired: true, policyIds: [eligibility[1].id] },
    });
    // 20 minutes: the least demanding option that fits, even with a ticket
    expect(choose(20, true)).toMatchObject({
      ok: true,
      option: { approvalRequired: false, policyIds: ['quick'] },
    });
    expect(choose(241, true)).toMatchObject({
      ok: false,
      field: 'durationMinutes',
      message:
        'PowerUserAccess on payments-dev can be requested for at most 4 h',
    });
    // the 30 min policy covers payments-dev only
    expect(options(ACCOUNT['payments-prod'])).toHaveLength(1);
    // the settings cap every option; the global switch turns approval off
    const strict = {
      ...settings,
      maxDurationMinutes: 20,
      approvalRequired: false,
    };
    expect(
      options(ACCOUNT['payments-dev'], strict).map(o => [
        o.maxDurationMinutes,
        o.approvalRequired,
        o.ticketRequired,
      ]),
    ).toEqual([
      [20, false, false],
      [20, false, true],
    ]);
  });

  it('accepts a request only when one single policy allows all of its terms (property)', () => {
    const policyArb = fc.record({
      id: fc.uuid(),
      name: fc.constant('p'),
      maxDurationMinutes: fc.integer({ min: 15, max: 720 }),
      approvalRequired: fc.boolean(),
      ticketRequired: fc.boolean(),
    });
    const run = fc.check(
      fc.property(
        fc.array(policyArb, { minLength: 1, maxLength: 6 }),
        fc.record({
          maxDurationMinutes: fc.integer({ min: 15, max: 720 }),
          approvalRequired: fc.boolean(),
          ticketRequired: fc.boolean(),
        }),
        fc.integer({ min: 1, max: 800 }),
        fc.boolean(),
        (policies, s, durationMinutes, hasTicket) => {
          const choice = chooseEligibilityOption(
            eligibilityOptions(policies, s),
            { durationMinutes, hasTicket },
            'it',
          );
          const allowedBy = policies.filter(
            p =>
              durationMinutes <=
                Math.min(p.maxDurationMinutes, s.maxDurationMinutes) &&
              (hasTicket || !(p.ticketRequired && s.ticketRequired)),
          );
          // refused only when no single policy allows the request
          if (!choice.ok) return allowedBy.length === 0;
          // one policy allows every term the request got, together
          const single = allowedBy.some(
            p =>
              choice.option.policyIds.includes(p.id) &&
              (p.approvalRequired && s.approvalRequired) ===
                choice.option.approvalRequired &&
              (p.ticketRequired && s.ticketRequired) ===
                choice.option.ticketRequired &&
              Math.min(p.maxDurationMinutes, s.maxDurationMinutes) ===
                choice.option.maxDurationMinutes,
          );
          // and approval is asked only when no allowing policy waives it
          const leastDemanding =
            !choice.option.approvalRequired ||
            !allowedBy.some(p => !(p.approvalRequired && s.approvalRequired));
          return single && leastDemanding;
        },
      ),
      { numRuns: 500 },
    );
    // a counterexample is a request accepted on terms no single policy gives
    expect(run.counterexample).toBeNull();
  });

  it('matches users directly and through groups, case-insensitively', () => {
    const direct: EligibilityPolicy = {
      ...eligibility[0],
      id: 'd',
      principals: ['User:default/Bob'],
    };
    expect(
      eligiblePairs({
        caller: caller('bob'),
        policies: [direct],
        tree,
        settings,
      }),
    ).toHaveLength(4);
  });

  it('never offers the management account or unknown pairs', () => {
    const everything: EligibilityPolicy = {
      ...eligibility[0],
      id: 'all',
      ous: [ROOT],
      permissionSets: Object.values(PS),
    };
    const pairs = eligiblePairs({
      caller: caller('alice'),
      policies: [everything],
      tree,
      settings,
    });
    expect(pairs.some(p => p.accountId === ACCOUNT.management)).toBe(false);
    expect(
      matchingEligibilityPolicies({
        caller: caller('alice'),
        policies: [everything],
        tree,
        accountId: ACCOUNT.management,
        permissionSetArn: PS.ReadOnlyAccess,
      }),
    ).toEqual([]);
    expect(
      matchingEligibilityPolicies({
        caller: caller('alice'),
        policies: [everything],
        tree,
        accountId: '000000000000',
        permissionSetArn: PS.ReadOnlyAccess,
      }),
    ).toEqual([]);
  });
});

describe('approver resolution', () => {
  it('unions policies on the account and every ancestor OU, with the strictest minimum', () => {
    const policies: ApproverPolicy[] = [
      ...approverPolicies,
      {
        ...approverPolicies[0],
        id: 'prod',
        ous: [OU.Production],
        approvers: [userRef('zoe')],
        minApprovals: 2,
      },
      {
        ...approverPolicies[0],
        id: 'admin-only',
        ous: [OU.Production],
        permissionSets: [PS.AdministratorAccess],
        approvers: [userRef('yan')],
      },
    ];
    expect(
      resolveApprovers({
        policies,
        tree,
        accountId: ACCOUNT['payments-prod'],
        permissionSetArn: PS.PowerUserAccess,
      }),
    ).toEqual({
      approverRefs: [groupRef('platform-leads'), userRef('zoe')],
      minApprovals: 2,
      policyIds: ['a0', 'prod'],
    });
    expect(
      resolveApprovers({
        policies,
        tree,
        accountId: ACCOUNT['payments-prod'],
        permissionSetArn: PS.AdministratorAccess,
      }).approverRefs,
    ).toContain(userRef('yan'));
    expect(
      resolveApprovers({
        policies,
        tree,
        accountId: ACCOUNT.audit,
        permissionSetArn: PS.PowerUserAccess,
      }).approverRefs,
    ).toEqual([groupRef('security-leads')]);
  });
});

describe('planning a request', () => {
  const base = {
    now: NOW,
    settings,
    accountName: 'payments-prod',
    permissionSetName: 'PowerUserAccess',
    approvers: {
      approverRefs: [groupRef('platform-leads')],
      minApprovals: 1,
      policyIds: [],
    },
    otherApprovers: 1,
    options: [
      {
        maxDurationMinutes: 240,
        approvalRequired: true,
        ticketRequired: true,
        breakGlass: false,
        policyIds: ['e1'],
        policyNames: ['e1'],
      },
    ],
  };
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
  const base = {
    now: NOW,
    settings,
    accountName: 'payments-prod',
    permissionSetName: 'PowerUserAccess',
    approvers: {
      approverRefs: [groupRef('platform-leads')],
      minApprovals: 1,
      policyIds: [],
    },
    otherApprovers: 1,
    options: [option, glass],
  };
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
