import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { me, request } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { ApprovalsInbox } from './ApprovalsInbox';

const decidable = request({
  requesterRef: 'user:default/erin',
  capabilities: {
    canApprove: true,
    canReject: true,
    canCancel: false,
    canRevoke: false,
  },
});

function api() {
  return mockApi({
    listRequests: jest.fn(async query => {
      if (query.requester) {
        return {
          items: [
            decidable,
            request({
              id: '6f1c2a9e-0d2b-4d41-8f3e-2b6f8d0c1a19',
              requesterRef: 'user:default/erin',
              status: 'ended',
              justification: 'Earlier incident',
            }),
          ],
        };
      }
      return query.status?.includes('pending')
        ? { items: [decidable] }
        : { items: [] };
    }),
    approve: jest.fn().mockResolvedValue({ ...decidable, status: 'approved' }),
    reject: jest.fn().mockResolvedValue({ ...decidable, status: 'rejected' }),
  });
}

describe('ApprovalsInbox', () => {
  it("shows what waits for a decision, with the requester's history", async () => {
    const mocked = api();
    await renderWith(<ApprovalsInbox />, {
      api: mocked,
      me: me({ userEntityRef: 'user:default/bob', isApprover: true }),
    });
    expect(
      (await screen.findAllByText('Fix the payments pipeline')).length,
    ).toBeGreaterThan(0);
    expect(
      await screen.findByText('Recent requests by erin'),
    ).toBeInTheDocument();
    expect(await screen.findByText(/Earlier incident/)).toBeInTheDocument();
    expect(mocked.listRequests).toHaveBeenCalledWith(
      expect.objectContaining({ view: 'approvals', status: ['pending'] }),
    );
  });

  it('approves with an optional comment', async () => {
    const mocked = api();
    await renderWith(<ApprovalsInbox />, {
      api: mocked,
      me: me({ isApprover: true }),
    });
    await userEvent.click(
      (
        await screen.findAllByRole('button', { name: 'Approve' })
      )[0],
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText('Comment'), 'go');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    await waitFor(() =>
      expect(mocked.approve).toHaveBeenCalledWith(decidable.id, 'go'),
    );
  });

  it('requires a reason to reject when settings say so', async () => {
    const mocked = api();
    await renderWith(<ApprovalsInbox />, {
      api: mocked,
      me: me({ isApprover: true }),
    });
    await userEvent.click(
      (
        await screen.findAllByRole('button', { name: 'Reject' })
      )[0],
    );
    const dialog = screen.getByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Reject' });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText('Comment'),
      'not during the freeze',
    );
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);
    await waitFor(() =>
      expect(mocked.reject).toHaveBeenCalledWith(
        decidable.id,
        'not during the freeze',
      ),
    );
  });

  it('says when nothing waits', async () => {
    const mocked = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderWith(<ApprovalsInbox />, {
      api: mocked,
      me: me({ isApprover: true }),
    });
    expect(
      await screen.findByText('Nothing waits for your decision.'),
    ).toBeInTheDocument();
  });
});
