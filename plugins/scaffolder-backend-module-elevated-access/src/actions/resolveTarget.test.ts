import { EligibilityResponse } from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  checkEligible,
  describeEligible,
  resolveTarget,
} from './resolveTarget';

const ps = (n: number) =>
  `arn:aws:sso:::permissionSet/ssoins-0000000000000001/ps-000000000000000${n}`;
const id = (n: number) => String(n).padStart(12, '0');

function eligibility(accounts: number, names?: string[]): EligibilityResponse {
  const list = Array.from({ length: accounts }, (_, i) => ({
    id: id(i + 1),
    name: names?.[i] ?? `account-${String(i + 1).padStart(2, '0')}`,
    ouPath: [],
  }));
  return {
    accounts: list,
    permissionSets: [{ arn: ps(1), name: 'ReadOnlyAccess' }],
    pairs: list.map(a => ({
      accountId: a.id,
      permissionSetArn: ps(1),
      options: [
        {
          maxDurationMinutes: 60,
          approvalRequired: false,
          ticketRequired: false,
          breakGlass: false,
          policyIds: ['p1'],
          policyNames: ['p1'],
        },
      ],
      maxDurationMinutes: 60,
      approvalRequired: false,
      ticketRequired: false,
      approvers: [],
      minApprovals: 0,
    })),
  };
}

describe('resolveTarget', () => {
  it('matches names exactly first, then ignoring case', () => {
    const e = eligibility(2, ['Payments', 'payments']);
    expect(
      resolveTarget(e, {
        account: 'payments',
        permissionSet: 'readonlyaccess',
      }),
    ).toMatchObject({
      accountId: id(2),
      accountName: 'payments',
      permissionSetArn: ps(1),
      permissionSetName: 'ReadOnlyAccess',
      pair: { accountId: id(2), permissionSetArn: ps(1) },
    });
    expect(() =>
      resolveTarget(e, {
        account: 'PAYMENTS',
        permissionSet: 'ReadOnlyAccess',
      }),
    ).toThrow(
      'Several accounts you may request are named "PAYMENTS": Payments (000000000001), payments (000000000002); give the account id instead',
    );
  });

  it('takes ids and ARNs as they are, eligible or not', () => {
    expect(
      resolveTarget(eligibility(1), {
        account: '999999999999',
        permissionSet: ps(7),
      }),
    ).toEqual({
      accountId: '999999999999',
      accountName: undefined,
      permissionSetArn: ps(7),
      permissionSetName: undefined,
      pair: undefined,
    });
  });

  it('keeps the list of what may be requested short', () => {
    const listed = describeEligible(eligibility(20));
    expect(listed.split('; ')).toHaveLength(16);
    expect(listed).toMatch(
      /^ReadOnlyAccess on account-01 \(000000000001\); .*; and 5 more accounts$/,
    );
  });

  it('checks duration and ticket against the pair', () => {
    const e = eligibility(1);
    e.pairs[0].options[0].ticketRequired = true;
    const target = resolveTarget(e, {
      account: 'account-01',
      permissionSet: 'ReadOnlyAccess',
    });
    expect(() =>
      checkEligible(target, e, { durationMinutes: 61, ticketId: 'T-1' }),
    ).toThrow(
      'Invalid input: durationMinutes: ReadOnlyAccess on account-01 can be requested for at most 1 h',
    );
    expect(() => checkEligible(target, e, { durationMinutes: 60 })).toThrow(
      'Invalid input: ticketId: A ticket is required for this access',
    );
    expect(
      checkEligible(target, e, { durationMinutes: 60, ticketId: 'T-1' }),
    ).toEqual({ pair: e.pairs[0], option: e.pairs[0].options[0] });
  });

  it('judges a request by one option, never a mix of two', () => {
    const e = eligibility(1);
    e.pairs[0].options = [
      {
        maxDurationMinutes: 30,
        approvalRequired: false,
        ticketRequired: false,
        breakGlass: false,
        policyIds: ['quick'],
        policyNames: ['quick'],
      },
      {
        maxDurationMinutes: 240,
        approvalRequired: true,
        ticketRequired: true,
        breakGlass: false,
        policyIds: ['long'],
        policyNames: ['long'],
      },
    ];
    const target = resolveTarget(e, {
      account: 'account-01',
      permissionSet: 'ReadOnlyAccess',
    });
    expect(() => checkEligible(target, e, { durationMinutes: 240 })).toThrow(
      'Invalid input: ticketId: A ticket is required for ReadOnlyAccess on account-01 for more than 30 min',
    );
    expect(
      checkEligible(target, e, { durationMinutes: 240, ticketId: 'T-1' }).option
        .policyIds,
    ).toEqual(['long']);
  });
});
