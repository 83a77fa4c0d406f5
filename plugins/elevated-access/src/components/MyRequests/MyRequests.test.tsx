import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { me, request } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { phoneScreen } from '../../__testUtils__/phoneScreen';
import { useLocation } from 'react-router-dom';
import { MyRequests } from './MyRequests';

/** Shows where the app is, and what a link carried there. */
const Where = () => {
  const location = useLocation();
  return (
    <output data-testid="where">
      {JSON.stringify({
        path: `${location.pathname}${location.search}`,
        state: location.state,
      })}
    </output>
  );
};
const where = () => JSON.parse(screen.getByTestId('where').textContent!);

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
        canReview: false,
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

  it('offers the actions the server allowed, whatever the status says', async () => {
    const none = {
      canApprove: false,
      canReject: false,
      canCancel: false,
      canRevoke: false,
      canReview: false,
    };
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({
        items: [
          // a status that usually allows cancelling, with nothing allowed
          request({ status: 'pending', capabilities: none }),
          // a status that usually allows nothing, with approve and revoke allowed
          request({
            id: '6f1c2a9e-0d2b-4d41-8f3e-2b6f8d0c1a12',
            status: 'ended',
            accountName: 'payments-dev',
            accountId: '333333333333',
            capabilities: { ...none, canApprove: true, canRevoke: true },
          }),
        ],
      }),
    });
    await renderWith(<MyRequests />, { api });
    const buttonsIn = (account: string) =>
      within(screen.getByText(account).closest('tr')!)
        .queryAllByRole('button')
        .map(b => b.textContent);
    await screen.findByText('payments-prod (111111111111)');
    expect(buttonsIn('payments-prod (111111111111)')).toEqual([]);
    expect(buttonsIn('payments-dev (333333333333)')).toEqual([
      'Approve',
      'Revoke',
    ]);
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

  it('keeps the status filter in the address, and links to a request remember it', async () => {
    const active = request({ status: 'active' });
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [active] }),
    });
    await renderWith(
      <>
        <MyRequests />
        <Where />
      </>,
      { api, routeEntries: ['/elevated-access/requests?status=active,bogus'] },
    );
    // read from the address; what is not a status is never sent
    await waitFor(() =>
      expect(api.listRequests).toHaveBeenCalledWith({
        view: 'mine',
        status: ['active'],
        cursor: undefined,
      }),
    );
    await userEvent.click(screen.getByLabelText('Status filter'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('Ended'),
    );
    await waitFor(() =>
      expect(where().path).toBe(
        '/elevated-access/requests?status=active%2Cended',
      ),
    );
    await userEvent.keyboard('{Escape}');

    // the link to the request carries the way back, filters included
    await userEvent.click(
      await screen.findByRole('link', { name: /21 Nov 2026|Nov 21, 2026/ }),
    );
    expect(where()).toEqual({
      path: `/elevated-access/requests/${active.id}`,
      state: {
        from: {
          path: '/elevated-access/requests?status=active%2Cended',
          label: 'My requests',
        },
      },
    });
  });

  it('shows cards instead of a table on a phone', async () => {
    const restore = phoneScreen();
    try {
      const api = mockApi({
        listRequests: jest.fn().mockResolvedValue({
          items: [
            request({ status: 'active' }),
            request({
              id: '6f1c2a9e-0d2b-4d41-8f3e-2b6f8d0c1a12',
              status: 'error',
              errorReason: 'AWS said no',
            }),
          ],
        }),
      });
      await renderWith(<MyRequests />, { api });
      const card = await screen.findByTestId(
        'request-card-6f1c2a9e-0d2b-4d41-8f3e-2b6f8d0c1a12',
      );
      expect(screen.queryByRole('table')).not.toBeInTheDocument();
      expect(
        within(screen.getByRole('list', { name: 'My requests' })).getAllByRole(
          'listitem',
        ),
      ).toHaveLength(2);
      expect(within(card).getByTestId('status-error')).toBeInTheDocument();
      expect(within(card).getByText('AWS said no')).toBeInTheDocument();
      expect(
        within(card).getByRole('link', {
          name: 'PowerUserAccess on payments-prod',
        }),
      ).toBeInTheDocument();
    } finally {
      restore();
    }
  });

  it('offers Request access only to someone eligible for something', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderWith(<MyRequests />, { api, me: me({ canRequest: false }) });
    expect(
      await screen.findByText(/You have not requested access yet/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'Request access' }),
    ).not.toBeInTheDocument();
  });
});
