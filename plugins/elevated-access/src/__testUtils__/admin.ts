import {
  ApproverPolicy,
  EligibilityPolicy,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PS, targets } from './fixtures';
import { mockApi } from './render';

// The Admin tab's policies and catalog, shared by its tests.

export const eligibilityPolicy: EligibilityPolicy = {
  id: 'e1',
  name: 'Developers on production',
  principals: ['group:default/developers'],
  accounts: ['555555555555'],
  ous: ['ou-demo-production'],
  permissionSets: [PS.PowerUserAccess],
  maxDurationMinutes: 240,
  approvalRequired: true,
  ticketRequired: false,
  breakGlass: false,
  version: 2,
  createdAt: '2026-11-20T09:00:00.000Z',
  updatedAt: '2026-11-20T09:00:00.000Z',
  updatedBy: 'user:default/frank',
};

export const approverPolicy: ApproverPolicy = {
  id: 'a1',
  name: 'Platform leads approve production',
  approvers: ['group:default/platform-leads'],
  accounts: [],
  ous: ['r-demo'],
  permissionSets: [],
  minApprovals: 1,
  version: 5,
  createdAt: '2026-11-20T09:00:00.000Z',
  updatedAt: '2026-11-20T09:00:00.000Z',
  updatedBy: 'user:default/frank',
};

export const adminApi = (overrides: Parameters<typeof mockApi>[0] = {}) =>
  mockApi({
    getTargets: jest.fn().mockResolvedValue(targets),
    listEligibilityPolicies: jest
      .fn()
      .mockResolvedValue({ items: [eligibilityPolicy] }),
    listApproverPolicies: jest
      .fn()
      .mockResolvedValue({ items: [approverPolicy] }),
    ...overrides,
  });

export const catalogEntities = [
  { kind: 'Group', metadata: { name: 'developers', namespace: 'default' } },
  { kind: 'User', metadata: { name: 'alice', namespace: 'default' } },
];

/**
 * On the Approver policies tab, clicks the button that opens a policy
 * dialog ("New approver policy", "Edit …") and returns the dialog.
 */
export async function openApproverPolicyDialog(button: string) {
  await userEvent.click(
    await screen.findByRole('tab', { name: 'Approver policies' }),
  );
  await userEvent.click(await screen.findByRole('button', { name: button }));
  return screen.getByRole('dialog');
}

/** Opens the edit dialog of `eligibilityPolicy`, named by its title. */
export async function editEligibilityPolicy() {
  await userEvent.click(
    await screen.findByRole('button', {
      name: /Edit Developers on production/,
    }),
  );
  return screen.getByRole('dialog', { name: 'Edit eligibility policy' });
}
