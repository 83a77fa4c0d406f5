import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { eligibility, me, settings } from '../../__testUtils__/fixtures';
import {
  eligibilityCalls,
  mockApi,
  renderWith,
} from '../../__testUtils__/render';
import { ElevatedAccessPage } from './ElevatedAccessPage';

const tabsFor = async (who: ReturnType<typeof me>) => {
  const api = mockApi({
    me: jest.fn().mockResolvedValue(who),
    getSettings: jest.fn().mockResolvedValue(settings),
    ...eligibilityCalls(eligibility),
  });
  await renderWith(<ElevatedAccessPage />, {
    api,
    routeEntries: ['/elevated-access/request'],
  });
  await screen.findByRole('tab', { name: 'Request access' });
  return screen.getAllByRole('tab').map(t => t.textContent);
};

describe('ElevatedAccessPage', () => {
  it('shows a requester their own tabs only', async () => {
    expect(await tabsFor(me())).toEqual([
      'Request access',
      'My requests',
      'Active access',
    ]);
  });

  it('adds the inbox, with its count, and their decided history for approvers', async () => {
    expect(
      await tabsFor(me({ isApprover: true, pendingApprovals: 3 })),
    ).toEqual([
      'Request access',
      'My requests',
      'Approvals (3)',
      'Decided',
      'Active access',
    ]);
  });

  it('adds Audit for auditors', async () => {
    const tabs = await tabsFor(me({ canAudit: true }));
    expect(tabs).toContain('Audit');
    expect(tabs).toContain('Insights');
    expect(tabs).not.toContain('Admin');
  });

  it('adds Admin for admins', async () => {
    expect(
      await tabsFor(me({ canAudit: true, canManagePolicies: true })),
    ).toEqual(expect.arrayContaining(['Audit', 'Admin']));
  });

  it('does not offer Request access to someone eligible for nothing', async () => {
    const api = mockApi({
      me: jest
        .fn()
        .mockResolvedValue(me({ canRequest: false, isApprover: true })),
      getSettings: jest.fn().mockResolvedValue(settings),
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
    });
    // even asked for by its address, the form is not shown
    await renderWith(<ElevatedAccessPage />, {
      api,
      routeEntries: ['/elevated-access/request'],
    });
    const selected = await screen.findByRole('tab', { selected: true });
    expect(selected).toHaveTextContent('Approvals');
    expect(screen.getAllByRole('tab').map(t => t.textContent)).toEqual([
      'My requests',
      'Approvals',
      'Decided',
      'Active access',
    ]);
    expect(api.getEligibility).not.toHaveBeenCalled();
    expect(api.searchEligibleAccounts).not.toHaveBeenCalled();
  });

  it('switches tabs with the tab bar and keeps the content labelled by its tab', async () => {
    const api = mockApi({
      me: jest.fn().mockResolvedValue(me()),
      getSettings: jest.fn().mockResolvedValue(settings),
      ...eligibilityCalls(eligibility),
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderWith(<ElevatedAccessPage />, {
      api,
      routeEntries: ['/elevated-access/request'],
    });
    await userEvent.click(
      await screen.findByRole('tab', { name: 'Active access' }),
    );
    expect(
      await screen.findByRole('tabpanel', { name: 'Active access' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/You have no active, upcoming or pending access/),
    ).toBeInTheDocument();
  });

  it('shows why the page cannot load, with a Retry', async () => {
    const api = mockApi({
      me: jest.fn().mockRejectedValue(new Error('backend down')),
      getSettings: jest.fn().mockResolvedValue(settings),
    });
    await renderWith(<ElevatedAccessPage />, { api });
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
    expect(screen.queryByRole('tab')).not.toBeInTheDocument();
    (api.me as jest.Mock).mockResolvedValue(me());
    (api.getEligibility as jest.Mock).mockResolvedValue(eligibility);
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('tab', { name: 'Request access' }),
    ).toBeInTheDocument();
  });

  it.each([
    ['a requester', me(), 'Request access'],
    [
      'an approver with decisions waiting',
      me({ isApprover: true, pendingApprovals: 2 }),
      'Approvals (2)',
    ],
    [
      'an approver with break-glass reviews waiting',
      me({ isApprover: true, pendingReviews: 1 }),
      'Approvals',
    ],
    [
      'an approver with nothing waiting',
      me({ isApprover: true }),
      'Request access',
    ],
    ['an auditor', me({ canAudit: true }), 'Audit'],
    ['an admin', me({ canManagePolicies: true }), 'Admin'],
    ['someone eligible for nothing', me({ canRequest: false }), 'My requests'],
    [
      'an approver eligible for nothing, with nothing waiting',
      me({ canRequest: false, isApprover: true }),
      'Approvals',
    ],
  ])('opens on the tab where the work of %s is', async (_who, who, tab) => {
    const api = mockApi({
      me: jest.fn().mockResolvedValue(who),
      getSettings: jest.fn().mockResolvedValue(settings),
      ...eligibilityCalls(eligibility),
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderWith(<ElevatedAccessPage />, { api, routeEntries: ['/'] });
    // the page's own tabs come first (Audit has sub-tabs of its own)
    const [selected] = await screen.findAllByRole('tab', { selected: true });
    expect(selected.textContent).toBe(tab);
  });
});
