import { ApproverPolicy } from '@elevated-access/backstage-plugin-elevated-access-common';
import { ACCOUNT, groupRef, OU, PS, userRef } from '../__testUtils__/fixtures';
import { approverPolicies, tree } from '../__testUtils__/demoDomain';
import { resolveApprovers } from './approvers';

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
