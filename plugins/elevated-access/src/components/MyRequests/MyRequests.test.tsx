import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { request } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { MyRequests } from './MyRequests';

describe('MyRequests', () => {
  it("lists the caller's requests and filters by status", async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({
        items: [
          request(),
          request({
            id: '6f1c2a9e-0d2b-4d41-8f3e-2b6f8d0c1a12',
            status: 'active',
            accountName: 'payments-dev',
            accountId: '333333333333',
          }),
        ],
      }),
    });
    await renderWith(<MyRequests />, { api });
    expect(
      await screen.findByText('payments-prod (111111111111)'),
    ).toBeInTheDocument();
    expect(screen.getByText('payments-dev (333333333333)')).toBeInTheDocument();
    expect(screen.getByTestId('status-active')).toBeInTheDocument();
    expect(api.listRequests).toHaveBeenCalledWith({
      view: 'mine',
      status: undefined,
      cursor: undefined,
    });

    await userEvent.click(screen.getByLabelText('Status filter'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('Active'),
    );
    await waitFor(() =>
      expect(api.listRequests).toHaveBeenLastCalledWith({
        view: 'mine',
        status: ['active'],
        cursor: undefined,
      }),
    );
  });

  it('cancels a request the caller may cancel', async () => {
    const pending = request({
      capabilities: {
        canApprove: false,
        canReject: false,
        canCancel: true,
        canRevoke: true,
      },
    });
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [pending] }),
      cancel: jest.fn().mockResolvedValue({ ...pending, status: 'cancelled' }),
    });
    await renderWith(<MyRequests />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Cancel' }),
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Cancel request',
      }),
    );
    await waitFor(() => expect(api.cancel).toHaveBeenCalledWith(pending.id));
    // the list reloads after the change
    await waitFor(() => expect(api.listRequests).toHaveBeenCalledTimes(2));
  });

  it('offers no actions the server did not allow', async () => {
    const api = mockApi({
      listRequests: jest
        .fn()
        .mockResolvedValue({ items: [request({ status: 'ended' })] }),
    });
    await renderWith(<MyRequests />, { api });
    await screen.findByText('payments-prod (111111111111)');
    expect(
      screen.queryByRole('button', { name: /Cancel|Revoke|Approve/ }),
    ).not.toBeInTheDocument();
  });

  it('says when there are no requests, and pages with Load more', async () => {
    const api = mockApi({
      listRequests: jest
        .fn()
        .mockResolvedValueOnce({ items: [request()], nextCursor: 'abc' })
        .mockResolvedValueOnce({
          items: [
            request({
              id: '6f1c2a9e-0d2b-4d41-8f3e-2b6f8d0c1a13',
              accountName: 'data-dev',
              accountId: '444444444444',
            }),
          ],
        }),
    });
    await renderWith(<MyRequests />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Load more' }),
    );
    expect(
      await screen.findByText('data-dev (444444444444)'),
    ).toBeInTheDocument();
    expect(api.listRequests).toHaveBeenLastCalledWith({
      view: 'mine',
      status: undefined,
      cursor: 'abc',
    });

    const empty = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderWith(<MyRequests />, { api: empty });
    expect(
      await screen.findByText(/You have not requested access yet/),
    ).toBeInTheDocument();
  });

  it('shows why the list cannot load, and keeps the filter', async () => {
    const api = mockApi({
      listRequests: jest
        .fn()
        .mockRejectedValue(new Error('The database is unavailable')),
    });
    await renderWith(<MyRequests />, { api });
    expect(
      (await screen.findAllByText(/The database is unavailable/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Status filter')).toBeInTheDocument();
  });
});
