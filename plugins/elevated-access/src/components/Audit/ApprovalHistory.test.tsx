import { DecisionRecord } from '@elevated-access/backstage-plugin-elevated-access-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PS } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { ApprovalHistory } from './ApprovalHistory';

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
  beforeEach(() => {
    global.URL.createObjectURL = jest.fn(() => 'blob:x');
    global.URL.revokeObjectURL = jest.fn();
  });

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
    await renderWith(<ApprovalHistory />, { api });
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
    expect(
      within(approved).getByRole('link', {
        name: 'payments-prod (111111111111)',
      }),
    ).toHaveAttribute(
      'href',
      '/elevated-access/requests/6f1c2a9e-0d2b-4d41-8f3e-2b6f8d0c1a11',
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
    await renderWith(<ApprovalHistory />, { api });
    expect(
      await screen.findByText('No decision matches these filters.'),
    ).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Approver'), 'bob');
    await userEvent.type(screen.getByLabelText('Requester'), 'alice');
    await userEvent.type(screen.getByLabelText('Account id'), '111111111111');
    fireEvent.change(screen.getByLabelText('From'), {
      target: { value: '2026-11-01' },
    });
    await waitFor(
      () =>
        expect(api.listDecisions).toHaveBeenLastCalledWith(
          expect.objectContaining({
            approver: 'bob',
            requester: 'alice',
            accountId: '111111111111',
            from: expect.stringMatching(/^2026-1[01]-/),
            cursor: undefined,
          }),
        ),
      { timeout: 3000 },
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Decisions CSV' }),
    );
    await waitFor(() =>
      expect(api.downloadDecisionsCsv).toHaveBeenCalledWith(
        expect.objectContaining({
          approver: 'bob',
          requester: 'alice',
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
    await renderWith(<ApprovalHistory />, { api });
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
    await renderWith(<ApprovalHistory />, { api });
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

  it('shows an error from the server', async () => {
    const api = mockApi({
      listDecisions: jest
        .fn()
        .mockRejectedValue(
          new Error('Only auditors and admins can read the approval history'),
        ),
    });
    await renderWith(<ApprovalHistory />, { api });
    expect(
      (
        await screen.findAllByText(
          /Only auditors and admins can read the approval history/,
        )
      )[0],
    ).toBeInTheDocument();
    expect(screen.queryByText('Approval history')).toBeNull();
  });
});
