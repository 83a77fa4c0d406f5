import { ConfigChange } from '@elevated-access/backstage-plugin-elevated-access-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { me, request } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { AuditArea } from './AuditArea';
import { ChangeHistory } from './ChangeHistory';
import {
  currentQuery,
  LocationProbe,
  people,
  pick,
} from './__testUtils__/audit';

const policy = {
  id: 'e1',
  name: 'Developers power-use workloads',
  principals: ['group:default/developers'],
  accounts: [],
  ous: ['ou-demo-workloads'],
  permissionSets: ['arn:ps-2'],
  maxDurationMinutes: 240,
  approvalRequired: true,
  ticketRequired: true,
  version: 1,
  createdAt: '2026-11-20T09:00:00.000Z',
  updatedAt: '2026-11-20T09:00:00.000Z',
  updatedBy: 'user:default/dave',
};

const changes: ConfigChange[] = [
  {
    id: '4',
    entityType: 'eligibility-policy',
    entityId: 'e1',
    entityName: 'Developers power-use workloads',
    action: 'update',
    actorRef: 'user:default/dave',
    message: 'Updated eligibility policy "Developers power-use workloads"',
    before: policy,
    after: {
      ...policy,
      principals: ['group:default/developers', 'user:default/erin'],
      maxDurationMinutes: 90,
      version: 2,
      updatedAt: '2026-11-21T09:00:00.000Z',
    },
    createdAt: '2026-11-21T09:00:00.000Z',
  },
  {
    id: '3',
    entityType: 'settings',
    entityId: 'global',
    action: 'update',
    actorRef: 'user:default/dave',
    before: { maxDurationMinutes: 480, ticketRequired: false },
    after: { maxDurationMinutes: 120, ticketRequired: true },
    createdAt: '2026-11-20T12:00:00.000Z',
  },
  {
    id: '2',
    entityType: 'approver-policy',
    entityId: 'a1',
    entityName: 'Old approvers',
    action: 'delete',
    actorRef: 'user:default/dave',
    message: 'Deleted approver policy "Old approvers"',
    createdAt: '2026-11-20T11:00:00.000Z',
  },
];

describe('ChangeHistory', () => {
  it('shows who changed what when, field by field', async () => {
    const api = mockApi({
      listChanges: jest.fn().mockResolvedValue({ items: changes }),
    });
    await renderWith(<ChangeHistory />, { api });
    const policyRow = (
      await screen.findByText('Eligibility policy changed')
    ).closest('tr')!;
    expect(
      within(policyRow).getByText('Developers power-use workloads'),
    ).toBeInTheDocument();
    expect(within(policyRow).getByText('dave')).toBeInTheDocument();
    // the list change says what was added; the number before and after
    expect(within(policyRow).getByText('Who may request')).toBeInTheDocument();
    expect(within(policyRow).getByText('added erin')).toBeInTheDocument();
    expect(
      within(policyRow).getByText('Max duration (minutes)').closest('li'),
    ).toHaveTextContent('Max duration (minutes): 240 → 90');
    // bookkeeping (version, timestamps) is not shown as a change
    expect(within(policyRow).queryByText('version')).toBeNull();
    expect(within(policyRow).queryByText('updatedAt')).toBeNull();

    const settingsRow = screen.getByText('Settings changed').closest('tr')!;
    expect(
      within(settingsRow).getByText('Ticket required').closest('li'),
    ).toHaveTextContent('Ticket required: no → yes');
    expect(
      within(settingsRow).getByText('Max duration (minutes)').closest('li'),
    ).toHaveTextContent('480 → 120');

    // an older entry without stored values says so
    const deleted = screen.getByText('Approver policy deleted').closest('tr')!;
    expect(within(deleted).getByText('Old approvers')).toBeInTheDocument();
    expect(
      within(deleted).getByText('The values were not recorded for this entry.'),
    ).toBeInTheDocument();
  });

  it('filters by type and by who made the change, in the address', async () => {
    const api = mockApi({
      listChanges: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderWith(
      <>
        <ChangeHistory />
        <LocationProbe />
      </>,
      {
        api,
        catalogEntities: people,
        routeEntries: ['/elevated-access/audit?view=changes'],
      },
    );
    expect(await screen.findByText('No change yet.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Type All' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Settings' }),
    );
    await pick('Changed by', 'dav', /dave/);
    await waitFor(() =>
      expect(api.listChanges).toHaveBeenLastCalledWith(
        expect.objectContaining({
          type: 'settings',
          actor: 'user:default/dave',
        }),
      ),
    );
    expect(
      await screen.findByText('No change matches these filters.'),
    ).toBeInTheDocument();
    expect(currentQuery().get('type')).toBe('settings');
    expect(currentQuery().get('actor')).toBe('user:default/dave');
  });

  it('shows an error from the server', async () => {
    const api = mockApi({
      listChanges: jest.fn().mockRejectedValue(new Error('boom: not allowed')),
    });
    await renderWith(<ChangeHistory />, { api });
    expect(await screen.findByTestId('error-state')).toHaveTextContent(
      "Couldn't load the change history: boom: not allowed",
    );
  });
});

describe('AuditArea', () => {
  it('offers the approval and change history to auditors', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({
        items: [
          request({
            status: 'approved',
            decidedBy: [
              {
                approverRef: 'user:default/bob',
                decision: 'approve',
                createdAt: '2026-11-21T09:30:00.000Z',
              },
            ],
          }),
        ],
      }),
      listDecisions: jest.fn().mockResolvedValue({ items: [] }),
      listChanges: jest.fn().mockResolvedValue({ items: changes }),
    });
    await renderWith(<AuditArea />, { api, me: me({ canAudit: true }) });
    expect(await screen.findByText('All requests')).toBeInTheDocument();
    // the requests list says who decided each request
    expect(screen.getByText('Decided by')).toBeInTheDocument();
    const row = (
      await screen.findByText('payments-prod (111111111111)')
    ).closest('tr')!;
    expect(
      within(row).getByTitle('2026-11-21T09:30:00.000Z'),
    ).toHaveTextContent('bob (approved)');
    await userEvent.click(
      screen.getByRole('tab', { name: 'Approval history' }),
    );
    expect(await screen.findByText('No decision yet.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('tab', { name: 'Change history' }));
    expect(
      await screen.findByText('Eligibility policy changed'),
    ).toBeInTheDocument();
  });

  it('shows policy managers without audit access only the change history', async () => {
    const api = mockApi({
      listChanges: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderWith(<AuditArea />, {
      api,
      me: me({ canAudit: false, canManagePolicies: true }),
    });
    expect(await screen.findByText('No change yet.')).toBeInTheDocument();
    expect(screen.getAllByRole('tab').map(t => t.textContent)).toEqual([
      'Change history',
    ]);
    expect(api.listRequests).not.toHaveBeenCalled();
  });

  it('keeps the filters every view shares when switching views', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
      listDecisions: jest.fn().mockResolvedValue({ items: [] }),
      getTargets: jest.fn().mockResolvedValue({
        rootId: 'r',
        organizationalUnits: [],
        accounts: [],
        permissionSets: [],
        fetchedAt: '2026-11-21T09:00:00.000Z',
      }),
    });
    await renderWith(
      <>
        <AuditArea />
        <LocationProbe />
      </>,
      {
        api,
        me: me({ canAudit: true }),
        catalogEntities: people,
        routeEntries: [
          '/elevated-access/audit?requester=user:default/alice&status=active&from=2026-11-01',
        ],
      },
    );
    await screen.findByText('All requests');
    await userEvent.click(
      screen.getByRole('tab', { name: 'Approval history' }),
    );
    await waitFor(() =>
      expect(api.listDecisions).toHaveBeenCalledWith(
        expect.objectContaining({ requester: 'user:default/alice' }),
      ),
    );
    expect(Object.fromEntries(currentQuery())).toEqual({
      view: 'decisions',
      requester: 'user:default/alice',
      from: '2026-11-01',
    });
  });
});
