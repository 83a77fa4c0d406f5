import { screen } from '@testing-library/react';
import { eligibility, me, settings } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { ElevatedAccessPage } from './ElevatedAccessPage';

const tabsFor = async (who: ReturnType<typeof me>) => {
  const api = mockApi({
    me: jest.fn().mockResolvedValue(who),
    getSettings: jest.fn().mockResolvedValue(settings),
    getEligibility: jest.fn().mockResolvedValue(eligibility),
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

  it('shows why the page cannot load', async () => {
    const api = mockApi({
      me: jest.fn().mockRejectedValue(new Error('backend down')),
      getSettings: jest.fn().mockResolvedValue(settings),
    });
    await renderWith(<ElevatedAccessPage />, { api });
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
    expect(screen.queryByRole('tab')).not.toBeInTheDocument();
  });

  it.each([
    ['a requester', me(), 'Request access'],
    [
      'an approver with decisions waiting',
      me({ isApprover: true, pendingApprovals: 2 }),
      'Approvals (2)',
    ],
    [
      'an approver with nothing waiting',
      me({ isApprover: true }),
      'Request access',
    ],
    ['an auditor', me({ canAudit: true }), 'Audit'],
    ['an admin', me({ canManagePolicies: true }), 'Admin'],
  ])('opens on the tab where the work of %s is', async (_who, who, tab) => {
    const api = mockApi({
      me: jest.fn().mockResolvedValue(who),
      getSettings: jest.fn().mockResolvedValue(settings),
      getEligibility: jest.fn().mockResolvedValue(eligibility),
    });
    await renderWith(<ElevatedAccessPage />, { api, routeEntries: ['/'] });
    // the page's own tabs come first (Audit has sub-tabs of its own)
    const [selected] = await screen.findAllByRole('tab', { selected: true });
    expect(selected.textContent).toBe(tab);
  });
});
