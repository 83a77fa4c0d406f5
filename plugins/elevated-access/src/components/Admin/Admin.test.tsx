import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PS } from '../../__testUtils__/fixtures';
import {
  adminApi,
  catalogEntities,
  editEligibilityPolicy,
  eligibilityPolicy,
} from '../../__testUtils__/admin';
import { renderWith } from '../../__testUtils__/render';
import { Admin } from './Admin';

describe('Admin: eligibility policies', () => {
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
    const dialog = await editEligibilityPolicy();
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
    const dialog = await editEligibilityPolicy();
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
});
