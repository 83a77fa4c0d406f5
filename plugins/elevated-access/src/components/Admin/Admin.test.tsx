import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ApproverPolicy,
  EligibilityPolicy,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { PS, settings, targets } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { Admin } from './Admin';

const eligibilityPolicy: EligibilityPolicy = {
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

const approverPolicy: ApproverPolicy = {
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

const adminApi = (overrides: Parameters<typeof mockApi>[0] = {}) =>
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

const catalogEntities = [
  { kind: 'Group', metadata: { name: 'developers', namespace: 'default' } },
  { kind: 'User', metadata: { name: 'alice', namespace: 'default' } },
];

describe('Admin', () => {
  it('lists eligibility policies with what they cover in names, not ids', async () => {
    await renderWith(<Admin />, { api: adminApi() });
    const row = (await screen.findByText('Developers on production')).closest(
      'tr',
    )!;
    expect(within(row).getByText('developers')).toBeInTheDocument();
    expect(within(row).getByText('Production (OU), audit')).toBeInTheDocument();
    expect(within(row).getByText('PowerUserAccess')).toBeInTheDocument();
    expect(
      within(row).getByText('up to 4 h · approval · no ticket'),
    ).toBeInTheDocument();
  });

  it('refuses an incomplete policy in the form, without calling the server', async () => {
    const api = adminApi();
    await renderWith(<Admin />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'New eligibility policy' }),
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(
      within(dialog).getByText('Name at least one user or group'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Choose at least one permission set'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Choose at least one account or OU'),
    ).toBeInTheDocument();
    expect(api.createEligibilityPolicy).not.toHaveBeenCalled();
  });

  it('creates an eligibility policy from the tree, the catalog and the switches', async () => {
    const api = adminApi({
      createEligibilityPolicy: jest.fn().mockResolvedValue(eligibilityPolicy),
    });
    await renderWith(<Admin />, { api, catalogEntities });
    await userEvent.click(
      await screen.findByRole('button', { name: 'New eligibility policy' }),
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Read prod');
    await userEvent.type(
      within(dialog).getByLabelText('Who may request'),
      'group:default/developers{enter}',
    );
    await userEvent.click(within(dialog).getByLabelText('Production (OU)'));
    // Accounts under a ticked OU are covered and cannot be ticked apart.
    expect(
      within(dialog).getByLabelText('payments-prod (111111111111)'),
    ).toBeDisabled();
    await userEvent.click(within(dialog).getByLabelText('ReadOnlyAccess'));
    const duration = within(dialog).getByLabelText('Max duration (minutes)');
    await userEvent.clear(duration);
    await userEvent.type(duration, '120');
    await userEvent.click(within(dialog).getByLabelText('Ticket required'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(api.createEligibilityPolicy).toHaveBeenCalledWith({
        name: 'Read prod',
        principals: ['group:default/developers'],
        accounts: [],
        ous: ['ou-demo-production'],
        permissionSets: [PS.ReadOnlyAccess],
        maxDurationMinutes: 120,
        approvalRequired: true,
        ticketRequired: false,
        breakGlass: false,
      }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.listEligibilityPolicies).toHaveBeenCalledTimes(2);
  });

  it('allows break-glass on an eligibility policy with the switch, and lists it', async () => {
    const api = adminApi({
      updateEligibilityPolicy: jest
        .fn()
        .mockResolvedValue({ ...eligibilityPolicy, breakGlass: true }),
    });
    await renderWith(<Admin />, { api, catalogEntities });
    await userEvent.click(
      await screen.findByRole('button', {
        name: /Edit Developers on production/,
      }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Edit eligibility policy',
    });
    const toggle = within(dialog).getByRole('checkbox', {
      name: 'Allow break-glass',
    });
    expect(toggle).not.toBeChecked();
    expect(toggle).toHaveAccessibleDescription(
      'Requesters under this policy may get access at once without approval, with a ticket; an approver reviews it afterwards',
    );
    await userEvent.click(toggle);
    api.listEligibilityPolicies.mockResolvedValue({
      items: [{ ...eligibilityPolicy, breakGlass: true }],
    });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(api.updateEligibilityPolicy).toHaveBeenCalledWith(
        'e1',
        expect.objectContaining({ breakGlass: true, version: 2 }),
      ),
    );
    expect(
      await screen.findByText(
        'up to 4 h · approval · no ticket · break-glass allowed',
      ),
    ).toBeInTheDocument();
  });

  it('saves a policy that nobody could approve, and says so before closing', async () => {
    const warning =
      'No approver policy covers PowerUserAccess on audit: requests for it need approval and will be refused until an approver policy covers it.';
    const api = adminApi({
      updateEligibilityPolicy: jest
        .fn()
        .mockResolvedValue({ ...eligibilityPolicy, warnings: [warning] }),
    });
    await renderWith(<Admin />, { api, catalogEntities });
    await userEvent.click(
      await screen.findByRole('button', {
        name: /Edit Developers on production/,
      }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Edit eligibility policy',
    });
    expect(within(dialog).getByLabelText('Name')).toHaveFocus();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(
      await within(dialog).findByTestId('policy-warnings'),
    ).toHaveTextContent(
      `The policy was saved. Before people use it:${warning}`,
    );
    expect(api.updateEligibilityPolicy).toHaveBeenCalledTimes(1);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

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
    await userEvent.click(
      await screen.findByRole('tab', { name: 'Approver policies' }),
    );
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Edit Platform leads approve production',
      }),
    );
    const dialog = screen.getByRole('dialog');
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
    await userEvent.click(
      await screen.findByRole('tab', { name: 'Approver policies' }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'New approver policy' }),
    );
    const dialog = screen.getByRole('dialog');
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
    await userEvent.click(
      await screen.findByRole('tab', { name: 'Approver policies' }),
    );
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Edit Platform leads approve production',
      }),
    );
    const dialog = screen.getByRole('dialog');
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

  it('deletes a policy after confirmation', async () => {
    const api = adminApi({
      deleteEligibilityPolicy: jest.fn().mockResolvedValue(undefined),
    });
    await renderWith(<Admin />, { api });
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Delete Developers on production',
      }),
    );
    const dialog = screen.getByRole('dialog');
    expect(
      within(dialog).getByText('Delete the policy "Developers on production"?'),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete' }),
    );
    await waitFor(() =>
      expect(api.deleteEligibilityPolicy).toHaveBeenCalledWith('e1'),
    );
  });

  it('shows why the policies cannot load', async () => {
    await renderWith(<Admin />, {
      api: adminApi({
        getTargets: jest
          .fn()
          .mockRejectedValue(new Error('Organizations is unreachable')),
      }),
    });
    expect(
      (await screen.findAllByText(/Organizations is unreachable/)).length,
    ).toBeGreaterThan(0);
  });

  it('validates and saves the settings with their version', async () => {
    const api = adminApi({
      updateSettings: jest.fn(async input => ({
        ...settings,
        ...input,
        version: 1,
        updatedAt: '2026-11-21T10:00:00.000Z',
        updatedBy: 'user:default/frank',
      })),
    });
    await renderWith(<Admin />, { api });
    await userEvent.click(await screen.findByRole('tab', { name: 'Settings' }));
    const max = screen.getByLabelText('Max duration (minutes)');
    await userEvent.clear(max);
    await userEvent.type(max, '0');
    await userEvent.click(
      screen.getByRole('button', { name: 'Save settings' }),
    );
    expect(api.updateSettings).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Max duration (minutes)')).toHaveAttribute(
      'aria-invalid',
      'true',
    );

    await userEvent.clear(max);
    await userEvent.type(max, '600');
    await userEvent.click(screen.getByLabelText(/Ticket required/));
    await userEvent.click(
      screen.getByRole('button', { name: 'Save settings' }),
    );
    await waitFor(() =>
      expect(api.updateSettings).toHaveBeenCalledWith(
        expect.objectContaining({
          maxDurationMinutes: 600,
          ticketRequired: false,
          ticketPattern: settings.ticketPattern,
          version: 0,
        }),
      ),
    );
    expect(
      await screen.findByText(/Last changed .* by frank/),
    ).toBeInTheDocument();
  });

  it('saves a ticket example only when it matches the ticket pattern', async () => {
    const api = adminApi({
      updateSettings: jest.fn(async input => ({
        ...settings,
        ...input,
        version: 1,
      })),
    });
    await renderWith(<Admin />, { api });
    await userEvent.click(await screen.findByRole('tab', { name: 'Settings' }));
    const example = screen.getByLabelText('Ticket example');
    await userEvent.type(example, 'ops-1');
    await userEvent.click(
      screen.getByRole('button', { name: 'Save settings' }),
    );
    expect(
      screen.getByText(
        'The example ops-1 does not match the ticket pattern; change the example or the pattern',
      ),
    ).toBeInTheDocument();
    expect(api.updateSettings).not.toHaveBeenCalled();
    await userEvent.clear(example);
    await userEvent.type(example, 'OPS-123');
    await userEvent.click(
      screen.getByRole('button', { name: 'Save settings' }),
    );
    await waitFor(() =>
      expect(api.updateSettings).toHaveBeenCalledWith(
        expect.objectContaining({ ticketExample: 'OPS-123' }),
      ),
    );
  });
});
