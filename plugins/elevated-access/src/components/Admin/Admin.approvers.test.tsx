import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApproverPolicy } from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  adminApi,
  approverPolicy,
  catalogEntities,
  openApproverPolicyDialog,
} from '../../__testUtils__/admin';
import { renderWith } from '../../__testUtils__/render';
import { Admin } from './Admin';

describe('Admin: approver policies', () => {
  it('edits an approver policy with its version, and shows a conflict', async () => {
    const api = adminApi({
      updateApproverPolicy: jest
        .fn()
        .mockRejectedValue(
          new Error(
            'The policy was changed by someone else; reload and try again',
          ),
        ),
    });
    await renderWith(<Admin />, { api });
    const dialog = await openApproverPolicyDialog(
      'Edit Platform leads approve production',
    );
    expect(within(dialog).getByLabelText('Name')).toHaveValue(
      'Platform leads approve production',
    );
    expect(
      within(dialog).getByLabelText('Whole organisation (root)'),
    ).toBeChecked();
    const needed = within(dialog).getByLabelText('Approvals needed');
    await userEvent.clear(needed);
    await userEvent.type(needed, '2');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() =>
      expect(api.updateApproverPolicy).toHaveBeenCalledWith('a1', {
        name: 'Platform leads approve production',
        approvers: ['group:default/platform-leads'],
        accounts: [],
        ous: ['r-demo'],
        permissionSets: [],
        minApprovals: 2,
        version: 5,
      }),
    );
    expect(
      await within(dialog).findByText(/changed by someone else/),
    ).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('creates an approver policy naming the catalog owners, with approvals for sensitive accounts', async () => {
    const saved: ApproverPolicy = {
      ...approverPolicy,
      id: 'a2',
      name: 'Owners approve production',
      approvers: ['owner', 'system-owner', 'group:default/developers'],
      ous: ['ou-demo-production'],
      minApprovals: 1,
      sensitiveMinApprovals: 2,
    };
    const api = adminApi({
      createApproverPolicy: jest.fn().mockResolvedValue(saved),
    });
    await renderWith(<Admin />, { api, catalogEntities });
    const dialog = await openApproverPolicyDialog('New approver policy');
    await userEvent.type(
      within(dialog).getByLabelText('Name'),
      'Owners approve production',
    );
    const approvers = within(dialog).getByLabelText('Who approves');
    await userEvent.click(approvers);
    await userEvent.click(
      await screen.findByRole('option', {
        name: 'Owner of the account (catalog)',
      }),
    );
    await userEvent.click(approvers);
    await userEvent.click(
      await screen.findByRole('option', {
        name: "Owner of the account's system (catalog)",
      }),
    );
    await userEvent.click(approvers);
    await userEvent.click(
      await screen.findByRole('option', { name: 'group:default/developers' }),
    );
    await userEvent.click(within(dialog).getByLabelText('Production (OU)'));
    await userEvent.type(
      within(dialog).getByLabelText('Approvals for sensitive accounts'),
      '2',
    );
    api.listApproverPolicies.mockResolvedValue({ items: [saved] });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() =>
      expect(api.createApproverPolicy).toHaveBeenCalledWith({
        name: 'Owners approve production',
        approvers: ['owner', 'system-owner', 'group:default/developers'],
        accounts: [],
        ous: ['ou-demo-production'],
        permissionSets: [],
        minApprovals: 1,
        sensitiveMinApprovals: 2,
      }),
    );
    const row = (await screen.findByText('Owners approve production')).closest(
      'tr',
    )!;
    expect(
      within(row).getByText('Owner of the account (catalog)'),
    ).toBeInTheDocument();
    expect(
      within(row).getByText("Owner of the account's system (catalog)"),
    ).toBeInTheDocument();
    expect(within(row).getByText('developers')).toBeInTheDocument();
    expect(
      within(row).getByText('1 · 2 for sensitive accounts'),
    ).toBeInTheDocument();
  });

  it('refuses fewer approvals for sensitive accounts than the minimum, without calling the server', async () => {
    const api = adminApi();
    await renderWith(<Admin />, { api, catalogEntities });
    const dialog = await openApproverPolicyDialog(
      'Edit Platform leads approve production',
    );
    const needed = within(dialog).getByLabelText('Approvals needed');
    await userEvent.clear(needed);
    await userEvent.type(needed, '3');
    await userEvent.type(
      within(dialog).getByLabelText('Approvals for sensitive accounts'),
      '2',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(
      await within(dialog).findByText(
        'Approvals for sensitive accounts must be at least the minimum approvals',
      ),
    ).toBeInTheDocument();
    expect(api.updateApproverPolicy).not.toHaveBeenCalled();
  });
});
