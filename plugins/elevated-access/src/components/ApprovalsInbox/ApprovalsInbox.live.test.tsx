import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { detail, request } from '../../__testUtils__/fixtures';
import { mockApi } from '../../__testUtils__/render';
import { emitSignal } from '../../__testUtils__/signals';
import { decidableCapabilities, renderInbox } from './__testUtils__/inbox';

// Signals, controllable from the tests: `emitSignal()` is what the backend
// does when any request changes, and every live list refreshes.
jest.mock('@backstage/plugin-signals-react', () =>
  jest.requireActual('../../__testUtils__/signals').signalsModuleMock(),
);

describe('ApprovalsInbox while the list refreshes live', () => {
  // typing a reason into a dialog over a full table takes a few seconds
  jest.setTimeout(30_000);
  const capabilities = decidableCapabilities;
  // A: erin's request, the one the approver chose.
  const requestA = request({
    id: '0a0a0a0a-0000-4000-8000-00000000000a',
    requesterRef: 'user:default/erin',
    accountId: '111111111111',
    accountName: 'payments-prod',
    justification: 'Request A: rotate the payments keys',
    createdAt: '2026-11-21T09:55:00.000Z',
    capabilities,
  });
  // B: alice's request, arriving while the approver types.
  const requestB = request({
    id: '0b0b0b0b-0000-4000-8000-00000000000b',
    requesterRef: 'user:default/alice',
    accountId: '333333333333',
    accountName: 'payments-dev',
    justification: 'Request B: debug the dev pipeline',
    createdAt: '2026-11-21T10:05:00.000Z',
    capabilities,
  });
  const reason = 'A is not needed during the freeze';

  /** Sends the Reject dialog, which still holds the draft reason: for A alone. */
  async function rejectWithDraft(
    dialog: HTMLElement,
    mocked: ReturnType<typeof mockApi>,
  ) {
    expect(within(dialog).getByLabelText('Comment')).toHaveValue(reason);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reject' }),
    );
    await waitFor(() =>
      expect(mocked.reject).toHaveBeenCalledWith(requestA.id, reason),
    );
    expect(mocked.reject).toHaveBeenCalledTimes(1);
    expect(mocked.reject).not.toHaveBeenCalledWith(
      requestB.id,
      expect.anything(),
    );
  }

  function liveApi(initial: AccessRequest[]) {
    let pending = initial;
    const mocked = mockApi({
      listRequests: jest.fn(async query => {
        if (query.requester) return { items: [] };
        return query.status?.includes('pending')
          ? { items: pending }
          : { items: [] };
      }),
      getRequest: jest.fn(async id => {
        const r = id === requestA.id ? requestA : requestB;
        return detail({
          ...r,
          status: 'approved',
          capabilities: {
            canApprove: false,
            canReject: false,
            canCancel: false,
            canRevoke: false,
            canReview: false,
          },
        });
      }),
      approve: jest.fn(
        async (id: string): Promise<AccessRequest> => ({
          ...requestA,
          id,
          status: 'approved',
        }),
      ),
      reject: jest.fn(
        async (id: string): Promise<AccessRequest> => ({
          ...requestA,
          id,
          status: 'rejected',
        }),
      ),
    });
    /** The server's pending list changes, and the backend signals it. */
    const serverNowHas = async (items: AccessRequest[]) => {
      pending = items;
      const calls = mocked.listRequests.mock.calls.length;
      await emitSignal();
      await waitFor(() =>
        expect(mocked.listRequests.mock.calls.length).toBeGreaterThan(calls),
      );
    };
    return { mocked, serverNowHas };
  }

  const panel = () => screen.getByTestId('selected-request');
  /** The side panel still shows A, and nothing of B. */
  const expectPanelOnA = () => {
    expect(
      within(panel()).getByText(requestA.justification),
    ).toBeInTheDocument();
    expect(
      within(panel()).queryByText(requestB.justification),
    ).not.toBeInTheDocument();
  };
  /**
   * The notice of one arrival held back, under an open dialog (the modal
   * hides the page from the accessibility tree).
   */
  const heldBehindModal = () =>
    screen.findByRole('button', { name: '1 new request', hidden: true });
  const rowOf = (text: string) =>
    screen
      .getAllByRole('row')
      .find(row => within(row).queryByText(text) !== null)!;

  it('keeps a Reject opened from the side panel on A when B arrives on top', async () => {
    const { mocked, serverNowHas } = liveApi([requestA]);
    await renderInbox(mocked);
    await within(await screen.findByTestId('selected-request')).findByText(
      requestA.justification,
    );

    await userEvent.click(
      within(panel()).getByRole('button', { name: 'Reject' }),
    );
    const dialog = screen.getByRole('dialog');
    expect(
      within(dialog).getByText('Reject PowerUserAccess on payments-prod?'),
    ).toBeInTheDocument();
    await userEvent.type(within(dialog).getByLabelText('Comment'), reason);

    await serverNowHas([requestB, requestA]);

    // the arrival waits behind a notice instead of moving the selection
    expect(await heldBehindModal()).toBeInTheDocument();
    expectPanelOnA();
    // the very same dialog, still on A, with the draft
    expect(screen.getByRole('dialog')).toBe(dialog);
    expect(
      within(dialog).getByText('Reject PowerUserAccess on payments-prod?'),
    ).toBeInTheDocument();
    expect(within(dialog).queryByText(/payments-dev/)).not.toBeInTheDocument();
    await rejectWithDraft(dialog, mocked);
  });

  it('keeps a Reject opened from a table row on A when A leaves the list and B arrives', async () => {
    const { mocked, serverNowHas } = liveApi([requestA]);
    await renderInbox(mocked);
    await screen.findAllByText(requestA.justification);

    await userEvent.click(
      within(rowOf(requestA.justification) ?? rowOf('erin')).getByRole(
        'button',
        { name: 'Reject' },
      ),
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText('Comment'), reason);

    // someone else decided A meanwhile, and B arrived
    await serverNowHas([requestB]);

    expect(await heldBehindModal()).toBeInTheDocument();
    // the panel says A left instead of jumping to B
    expect(
      await within(panel()).findByTestId('selected-request-left'),
    ).toBeInTheDocument();
    expectPanelOnA();
    await within(panel()).findByText('Approved');
    // A's row has gone, the dialog it opened has not, nor has the draft
    expect(
      screen
        .queryAllByRole('row', { hidden: true })
        .some(row => within(row).queryByText('erin') !== null),
    ).toBe(false);
    expect(screen.getByRole('dialog')).toBe(dialog);
    expect(
      within(dialog).getByText('Reject PowerUserAccess on payments-prod?'),
    ).toBeInTheDocument();
    await rejectWithDraft(dialog, mocked);
  });

  it('shows the arrivals when the notice is clicked, and keeps the selection', async () => {
    const { mocked, serverNowHas } = liveApi([requestA]);
    await renderInbox(mocked);
    await within(await screen.findByTestId('selected-request')).findByText(
      requestA.justification,
    );
    await serverNowHas([requestB, requestA]);
    const notice = await screen.findByRole('button', {
      name: '1 new request',
    });
    // held back: B is not in the table yet
    expect(screen.queryByText(requestB.justification)).not.toBeInTheDocument();

    await userEvent.click(notice);
    expect(rowOf('alice')).toBeDefined();
    expect(
      screen.queryByRole('button', { name: /new request/ }),
    ).not.toBeInTheDocument();
    expect(
      within(panel()).getByText(requestA.justification),
    ).toBeInTheDocument();

    // choosing B is the approver's own move
    await userEvent.click(
      within(rowOf('alice')).getByText('payments-dev (333333333333)'),
    );
    expect(
      await within(panel()).findByText(requestB.justification),
    ).toBeInTheDocument();
  });
});
