import { DecisionRecord } from '@elevated-access/backstage-plugin-elevated-access-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeBlobUrls } from '../../__testUtils__/downloads';
import { PS, targets } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { phoneScreen } from '../../__testUtils__/phoneScreen';
import { ApprovalHistory } from './ApprovalHistory';
import {
  currentQuery,
  LocationProbe,
  people,
  pick,
} from './__testUtils__/audit';

const AT = '/elevated-access/audit?view=decisions';

function renderHistory(api: ReturnType<typeof mockApi>, url = AT) {
  api.getTargets.mockResolvedValue(targets);
  return renderWith(
    <>
      <ApprovalHistory />
      <LocationProbe />
    </>,
    { api, catalogEntities: people, routeEntries: [url] },
  );
}

const decision = (overrides: Partial<DecisionRecord> = {}): DecisionRecord => ({
  id: 'd1',
  requestId: '6f1c2a9e-0d2b-4d41-8f3e-2b6f8d0c1a11',
  requesterRef: 'user:default/alice',
  accountId: '111111111111',
  accountName: 'payments-prod',
  permissionSetArn: PS.PowerUserAccess,
  permissionSetName: 'PowerUserAccess',
  requestedDurationMinutes: 120,
  requestStatus: 'approved',
  approverRef: 'user:default/bob',
  decision: 'approve',
  comment: 'go ahead',
  durationMinutes: 30,
  createdAt: '2026-11-21T10:00:00.000Z',
  ...overrides,
});

describe('ApprovalHistory', () => {
  beforeEach(fakeBlobUrls);

  it('lists every decision with the request, who, the comment and the shortened duration', async () => {
    const api = mockApi({
      listDecisions: jest.fn().mockResolvedValue({
        items: [
          decision(),
          decision({
            id: 'd2',
            requestId: '7f1c2a9e-0d2b-4d41-8f3e-2b6f8d0c1a12',
            accountId: '222222222222',
            accountName: 'data-prod',
            approverRef: 'user:default/frank',
            decision: 'reject',
            comment: 'not this week',
            durationMinutes: undefined,
            requestStatus: 'rejected',
          }),
        ],
      }),
    });
    await renderHistory(api);
    const approved = (
      await screen.findByText('payments-prod (111111111111)')
    ).closest('tr')!;
    expect(within(approved).getByText('Approved')).toBeInTheDocument();
    expect(within(approved).getByText('bob')).toBeInTheDocument();
    expect(within(approved).getByText('alice')).toBeInTheDocument();
    expect(within(approved).getByText('go ahead')).toBeInTheDocument();
    expect(
      within(approved).getByText('30 min of 2 h asked'),
    ).toBeInTheDocument();
    const link = within(approved).getByRole('link', {
      name: 'payments-prod (111111111111)',
    });
    expect(link).toHaveAttribute(
      'href',
      '/elevated-access/requests/6f1c2a9e-0d2b-4d41-8f3e-2b6f8d0c1a11',
    );
    // the request page can lead back here, to this view with its filters
    await userEvent.click(link);
    expect(screen.getByTestId('came-from')).toHaveTextContent(
      '/elevated-access/audit?view=decisions',
    );
    const rejected = screen
      .getByText('data-prod (222222222222)')
      .closest('tr')!;
    expect(within(rejected).getByText('Rejected')).toBeInTheDocument();
    expect(within(rejected).getByText('frank')).toBeInTheDocument();
    expect(within(rejected).getByText('not this week')).toBeInTheDocument();
  });

  it('filters on the server and exports the same filters as CSV', async () => {
    const api = mockApi({
      listDecisions: jest.fn().mockResolvedValue({ items: [] }),
      downloadDecisionsCsv: jest.fn().mockResolvedValue(new Blob(['x\n'])),
    });
    await renderHistory(api);
    expect(await screen.findByText('No decision yet.')).toBeInTheDocument();
    await pick('Approver', 'bo', /Bob Approver/);
    await pick('Requester', 'alice@', /Alice Liddell/);
    await pick('Account', 'Production', /payments-prod/);
    fireEvent.change(screen.getByLabelText('From'), {
      target: { value: '2026-11-01' },
    });
    await waitFor(() =>
      expect(api.listDecisions).toHaveBeenLastCalledWith(
        expect.objectContaining({
          approver: 'user:default/bob',
          requester: 'user:default/alice',
          accountId: '111111111111',
          from: expect.stringMatching(/^2026-1[01]-/),
          cursor: undefined,
        }),
      ),
    );
    expect(
      await screen.findByText('No decision matches these filters.'),
    ).toBeInTheDocument();
    expect(Object.fromEntries(currentQuery())).toEqual({
      view: 'decisions',
      approver: 'user:default/bob',
      requester: 'user:default/alice',
      account: '111111111111',
      from: '2026-11-01',
    });
    await userEvent.click(
      screen.getByRole('button', { name: 'Decisions CSV' }),
    );
    await waitFor(() =>
      expect(api.downloadDecisionsCsv).toHaveBeenCalledWith(
        expect.objectContaining({
          approver: 'user:default/bob',
          requester: 'user:default/alice',
          accountId: '111111111111',
        }),
        expect.anything(),
      ),
    );
    expect(global.URL.createObjectURL).toHaveBeenCalled();
  });

  it('filters by decision', async () => {
    const api = mockApi({
      listDecisions: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderHistory(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Decision Any' }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'Rejected' }),
    );
    await waitFor(
      () =>
        expect(api.listDecisions).toHaveBeenLastCalledWith(
          expect.objectContaining({ decision: 'reject' }),
        ),
      { timeout: 3000 },
    );
  });

  it('loads more pages with the cursor', async () => {
    const api = mockApi({
      listDecisions: jest
        .fn()
        .mockResolvedValueOnce({ items: [decision()], nextCursor: 'next' })
        .mockResolvedValueOnce({
          items: [
            decision({
              id: 'd2',
              accountName: 'data-prod',
              accountId: '222222222222',
            }),
          ],
        }),
    });
    await renderHistory(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Load more' }),
    );
    expect(
      await screen.findByText('data-prod (222222222222)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('payments-prod (111111111111)'),
    ).toBeInTheDocument();
    expect(api.listDecisions).toHaveBeenLastCalledWith(
      expect.objectContaining({ cursor: 'next' }),
    );
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('shows an error in words, with the filters still there', async () => {
    const api = mockApi({
      listDecisions: jest.fn().mockRejectedValue(
        Object.assign(new Error('Request failed with 403 Forbidden'), {
          statusCode: 403,
          body: {
            error: {
              message: 'Only auditors and admins can read the approval history',
            },
          },
        }),
      ),
    });
    await renderHistory(api);
    const error = await screen.findByTestId('error-state');
    expect(error).toHaveTextContent(
      'Only auditors and admins can read the approval history',
    );
    expect(error).not.toHaveTextContent('Request failed');
    expect(screen.queryByText('Approval history')).toBeNull();
    expect(screen.getByLabelText('Approver')).toBeInTheDocument();
  });

  it('shows one card per decision on a phone', async () => {
    // every "max-width" query matches: the xs breakpoint
    const restoreScreen = phoneScreen(query => query.includes('max-width'));
    try {
      const api = mockApi({
        listDecisions: jest.fn().mockResolvedValue({ items: [decision()] }),
      });
      await renderHistory(api);
      const list = await screen.findByRole('list', {
        name: 'Approval history',
      });
      const card = within(list).getByRole('listitem');
      expect(within(card).getByText('Comment')).toBeInTheDocument();
      expect(within(card).getByText('go ahead')).toBeInTheDocument();
      expect(screen.queryByRole('table')).toBeNull();
    } finally {
      restoreScreen();
    }
  });
});
