import fc from 'fast-check';
import {
  chooseEligibilityOption,
  eligibilityOptions,
  EligibilityPolicy,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { BUILT_IN_SETTINGS } from '../config';
import { ACCOUNT, PS, ROOT } from '../__testUtils__/fixtures';
import { caller, eligibility, tree } from '../__testUtils__/demoDomain';
import { eligiblePairs, matchingEligibilityPolicies } from './eligibility';

const settings = { ...BUILT_IN_SETTINGS };

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
