import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { detail, me, request } from '../../__testUtils__/fixtures';
import { alerts, mockApi, renderWith } from '../../__testUtils__/render';
import { ApprovalsInbox } from './ApprovalsInbox';

// Signals, controllable from the tests: `emitSignal()` is what the backend
// does when any request changes, and every live list refreshes.
jest.mock('@backstage/plugin-signals-react', () => {
  const { useEffect, useState } = jest.requireActual('react');
  const listeners = new Set<() => void>();
  let count = 0;
  return {
    useSignal: () => {
      const [lastSignal, setLastSignal] = useState();
      useEffect(() => {
        const listener = () => {
          count += 1;
          setLastSignal({ type: 'request-changed', n: count });
        };
        listeners.add(listener);
        return () => {
          listeners.delete(listener);
        };
      }, []);
      return { lastSignal, isSignalsAvailable: true };
    },
    emitSignal: () => listeners.forEach(l => l()),
  };
});

const emitSignal = async () => {
  const { emitSignal: emit } = jest.requireMock(
    '@backstage/plugin-signals-react',
  );
  await act(async () => emit());
};

const decidable = request({
  requesterRef: 'user:default/erin',
  capabilities: {
    canApprove: true,
    canReject: true,
    canCancel: false,
    canRevoke: false,
    canReview: false,
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
      expect(mocked.approve).toHaveBeenCalledWith(
        decidable.id,
        'go',
        undefined,
      ),
    );
  });

  it('approves for less time than asked, never more', async () => {
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
    const minutes = within(dialog).getByLabelText('Approve for (minutes)');
    expect(minutes).toHaveValue(decidable.durationMinutes);
    await userEvent.clear(minutes);
    await userEvent.type(minutes, String(decidable.durationMinutes + 1));
    expect(
      within(dialog).getByText(/^At most the .* asked$/),
    ).toBeInTheDocument();
    await userEvent.clear(minutes);
    await userEvent.type(minutes, '30');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    await waitFor(() =>
      expect(mocked.approve).toHaveBeenCalledWith(decidable.id, undefined, 30),
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

  it('flags active access whose requester asks for an extension', async () => {
    const extending = request({
      id: '6f1c2a9e-0d2b-4d41-8f3e-2b6f8d0c1a20',
      requesterRef: 'user:default/erin',
      status: 'active',
      grantedAt: '2026-11-21T10:00:00.000Z',
      pendingExtensionId: 'x1',
    });
    const mocked = mockApi({
      listRequests: jest.fn(async query =>
        query.status?.includes('active')
          ? { items: [extending] }
          : { items: [] },
      ),
    });
    await renderWith(<ApprovalsInbox />, {
      api: mocked,
      me: me({ userEntityRef: 'user:default/bob', isApprover: true }),
    });
    expect(
      await screen.findByTestId(`extension-requested-${extending.id}`),
    ).toHaveTextContent('extension requested');
  });

  it('shows HTML in a justification as text, never as markup', async () => {
    const justification = `<img src=x onerror=alert(1)> <b>urgent</b> '); DROP TABLE requests; --`;
    const hostile = request({ ...decidable, justification });
    const mocked = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [hostile] }),
    });
    await renderWith(<ApprovalsInbox />, {
      api: mocked,
      me: me({ userEntityRef: 'user:default/bob', isApprover: true }),
    });
    expect((await screen.findAllByText(justification)).length).toBeGreaterThan(
      0,
    );
    expect(document.querySelector('img[src="x"], b')).toBeNull();
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

describe('ApprovalsInbox while the list refreshes live', () => {
  // typing a reason into a dialog over a full table takes a few seconds
  jest.setTimeout(30_000);
  const capabilities = {
    canApprove: true,
    canReject: true,
    canCancel: false,
    canRevoke: false,
    canReview: false,
  };
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
  const rowOf = (text: string) =>
    screen
      .getAllByRole('row')
      .find(row => within(row).queryByText(text) !== null)!;

  it('keeps a Reject opened from the side panel on A when B arrives on top', async () => {
    const { mocked, serverNowHas } = liveApi([requestA]);
    await renderWith(<ApprovalsInbox />, {
      api: mocked,
      me: me({ userEntityRef: 'user:default/bob', isApprover: true }),
    });
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
    // (the open modal hides the page from the accessibility tree)
    expect(
      await screen.findByRole('button', {
        name: '1 new request',
        hidden: true,
      }),
    ).toBeInTheDocument();
    expect(
      within(panel()).getByText(requestA.justification),
    ).toBeInTheDocument();
    expect(
      within(panel()).queryByText(requestB.justification),
    ).not.toBeInTheDocument();
    // the very same dialog, still on A, with the draft
    expect(screen.getByRole('dialog')).toBe(dialog);
    expect(
      within(dialog).getByText('Reject PowerUserAccess on payments-prod?'),
    ).toBeInTheDocument();
    expect(within(dialog).queryByText(/payments-dev/)).not.toBeInTheDocument();
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
  });

  it('keeps a Reject opened from a table row on A when A leaves the list and B arrives', async () => {
    const { mocked, serverNowHas } = liveApi([requestA]);
    await renderWith(<ApprovalsInbox />, {
      api: mocked,
      me: me({ userEntityRef: 'user:default/bob', isApprover: true }),
    });
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

    // (the open modal hides the page from the accessibility tree)
    expect(
      await screen.findByRole('button', {
        name: '1 new request',
        hidden: true,
      }),
    ).toBeInTheDocument();
    // the panel says A left instead of jumping to B
    expect(
      await within(panel()).findByTestId('selected-request-left'),
    ).toBeInTheDocument();
    expect(
      within(panel()).getByText(requestA.justification),
    ).toBeInTheDocument();
    expect(
      within(panel()).queryByText(requestB.justification),
    ).not.toBeInTheDocument();
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
  });

  it('shows the arrivals when the notice is clicked, and keeps the selection', async () => {
    const { mocked, serverNowHas } = liveApi([requestA]);
    await renderWith(<ApprovalsInbox />, {
      api: mocked,
      me: me({ userEntityRef: 'user:default/bob', isApprover: true }),
    });
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

describe('ApprovalsInbox for people', () => {
  const capabilities = {
    canApprove: true,
    canReject: true,
    canCancel: false,
    canRevoke: false,
    canReview: false,
  };
  const first = request({
    id: '0a0a0a0a-0000-4000-8000-00000000000a',
    requesterRef: 'user:default/alice',
    accountName: 'payments-prod',
    justification: 'First: rotate the payments keys',
    capabilities,
  });
  const second = request({
    id: '0b0b0b0b-0000-4000-8000-00000000000b',
    requesterRef: 'user:default/erin',
    accountId: '333333333333',
    accountName: 'payments-dev',
    justification: 'Second: debug the dev pipeline',
    capabilities,
  });
  const third = request({
    id: '0c0c0c0c-0000-4000-8000-00000000000c',
    requesterRef: 'user:default/erin',
    accountId: '444444444444',
    accountName: 'data-dev',
    justification: 'Third: load the fixtures',
    capabilities,
  });

  function inboxApi(overrides: Parameters<typeof mockApi>[0] = {}) {
    return mockApi({
      listRequests: jest.fn(async query => {
        if (query.requester) return { items: [] };
        return query.status?.includes('pending')
          ? { items: [first, second, third] }
          : { items: [] };
      }),
      approve: jest.fn(
        async (id: string): Promise<AccessRequest> => ({
          ...first,
          id,
          status: 'approved',
          approvals: 1,
        }),
      ),
      reject: jest.fn(
        async (id: string): Promise<AccessRequest> => ({
          ...first,
          id,
          status: 'rejected',
        }),
      ),
      ...overrides,
    });
  }

  const rowFor = (r: AccessRequest) =>
    screen.getByTestId(`request-row-${r.id}`);
  const panel = () => screen.getByTestId('selected-request');

  beforeEach(() => alerts.post.mockClear());

  it('lets the keyboard reach, choose and move between rows', async () => {
    await renderWith(<ApprovalsInbox />, {
      api: inboxApi(),
      me: me({ userEntityRef: 'user:default/bob', isApprover: true }),
    });
    await screen.findByTestId(`request-row-${first.id}`);
    // the first request is chosen until the approver chooses another
    expect(rowFor(first)).toHaveAttribute('aria-selected', 'true');
    expect(rowFor(second)).toHaveAttribute('aria-selected', 'false');
    expect(rowFor(second)).toHaveAttribute('tabindex', '0');

    // Tab reaches a row; Enter chooses it
    rowFor(second).focus();
    await userEvent.keyboard('{Enter}');
    expect(rowFor(second)).toHaveAttribute('aria-selected', 'true');
    expect(rowFor(first)).toHaveAttribute('aria-selected', 'false');
    expect(
      await within(panel()).findByText(second.justification),
    ).toBeInTheDocument();

    // the arrow keys move the focus and the choice together
    await userEvent.keyboard('{ArrowDown}');
    expect(rowFor(third)).toHaveFocus();
    expect(rowFor(third)).toHaveAttribute('aria-selected', 'true');
    expect(
      await within(panel()).findByText(third.justification),
    ).toBeInTheDocument();
    await userEvent.keyboard('{ArrowUp}{ArrowUp}');
    expect(rowFor(first)).toHaveFocus();
    expect(rowFor(first)).toHaveAttribute('aria-selected', 'true');

    // Space chooses too; keys on a row's buttons are the buttons' own
    rowFor(third).focus();
    await userEvent.keyboard(' ');
    expect(rowFor(third)).toHaveAttribute('aria-selected', 'true');
    within(rowFor(second)).getByRole('button', { name: 'Reject' }).focus();
    fireEvent.keyDown(
      within(rowFor(second)).getByRole('button', { name: 'Reject' }),
      { key: 'ArrowDown' },
    );
    expect(rowFor(third)).toHaveAttribute('aria-selected', 'true');
  });

  it('opens a dialog named by its title, with focus in the comment box, that Escape closes', async () => {
    await renderWith(<ApprovalsInbox />, {
      api: inboxApi(),
      me: me({ userEntityRef: 'user:default/bob', isApprover: true }),
    });
    await userEvent.click(
      within(await screen.findByTestId(`request-row-${second.id}`)).getByRole(
        'button',
        { name: 'Approve' },
      ),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Approve PowerUserAccess on payments-dev for erin?',
    });
    await waitFor(() =>
      expect(within(dialog).getByLabelText('Comment')).toHaveFocus(),
    );
    expect(
      within(dialog).getByRole('button', { name: 'Approve' }),
    ).toBeEnabled();
    await userEvent.keyboard('{Escape}');
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('says exactly once what was approved, with the right verb', async () => {
    const mocked = inboxApi();
    await renderWith(<ApprovalsInbox />, {
      api: mocked,
      me: me({ userEntityRef: 'user:default/bob', isApprover: true }),
    });
    await userEvent.click(
      within(await screen.findByTestId(`request-row-${first.id}`)).getByRole(
        'button',
        { name: 'Approve' },
      ),
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Approve',
      }),
    );
    await waitFor(() => expect(mocked.approve).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(alerts.post).toHaveBeenCalledTimes(1));
    expect(alerts.post).toHaveBeenCalledWith({
      message: "Approved alice's PowerUserAccess on payments-prod",
      severity: 'success',
      display: 'transient',
    });
    // the live refresh after the decision posts nothing more
    await emitSignal();
    expect(alerts.post).toHaveBeenCalledTimes(1);
  });

  it('says exactly once what was rejected, with the right verb', async () => {
    const mocked = inboxApi();
    await renderWith(<ApprovalsInbox />, {
      api: mocked,
      me: me({ userEntityRef: 'user:default/bob', isApprover: true }),
    });
    await userEvent.click(
      within(await screen.findByTestId(`request-row-${second.id}`)).getByRole(
        'button',
        { name: 'Reject' },
      ),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Reject PowerUserAccess on payments-dev?',
    });
    await userEvent.type(within(dialog).getByLabelText('Comment'), 'no');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reject' }),
    );
    await waitFor(() => expect(alerts.post).toHaveBeenCalledTimes(1));
    expect(alerts.post).toHaveBeenCalledWith({
      message: "Rejected erin's PowerUserAccess on payments-dev",
      severity: 'success',
      display: 'transient',
    });
  });

  it('says how many approvals are still needed after one of two', async () => {
    const mocked = inboxApi({
      approve: jest.fn(
        async (_id: string): Promise<AccessRequest> => ({
          ...first,
          status: 'pending',
          minApprovals: 2,
          approvals: 1,
        }),
      ),
    });
    await renderWith(<ApprovalsInbox />, {
      api: mocked,
      me: me({ userEntityRef: 'user:default/bob', isApprover: true }),
    });
    await userEvent.click(
      within(await screen.findByTestId(`request-row-${first.id}`)).getByRole(
        'button',
        { name: 'Approve' },
      ),
    );
    const dialog = screen.getByRole('dialog');
    const minutes = within(dialog).getByLabelText('Approve for (minutes)');
    await userEvent.clear(minutes);
    await userEvent.type(minutes, '30');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    await waitFor(() => expect(alerts.post).toHaveBeenCalledTimes(1));
    expect(alerts.post.mock.calls[0][0].message).toBe(
      "Approved alice's PowerUserAccess on payments-prod for 30 min: 1 of 2 approvals so far",
    );
  });

  it('explains a failed load in plain words and offers Retry', async () => {
    let fail = true;
    const mocked = inboxApi({
      listRequests: jest.fn(async query => {
        if (fail && query.status?.includes('pending')) {
          throw Object.assign(
            new Error('Request failed with 500 Internal Server Error'),
            { statusCode: 500 },
          );
        }
        return query.status?.includes('pending')
          ? { items: [first] }
          : { items: [] };
      }),
    });
    await renderWith(<ApprovalsInbox />, {
      api: mocked,
      me: me({ userEntityRef: 'user:default/bob', isApprover: true }),
    });
    const error = await screen.findByTestId('error-state');
    expect(error).toHaveTextContent(
      "Couldn't load the requests waiting for your decision",
    );
    expect(screen.queryByText(/Request failed with 500/)).toBeNull();
    fail = false;
    await userEvent.click(within(error).getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByTestId(`request-row-${first.id}`),
    ).toBeInTheDocument();
  });

  describe('on a phone', () => {
    const matchMedia = window.matchMedia;
    beforeEach(() => {
      // MUI's down('xs') is max-width 599.95px: a 390 px wide screen
      window.matchMedia = jest.fn().mockImplementation((query: string) => ({
        matches: /max-width:\s*599\.95px/.test(query),
        media: query,
        onchange: null,
        addListener: jest.fn(),
        removeListener: jest.fn(),
        addEventListener: jest.fn(),
        removeEventListener: jest.fn(),
        dispatchEvent: jest.fn(),
      }));
    });
    afterEach(() => {
      window.matchMedia = matchMedia;
    });

    it('shows cards with their actions instead of a wide table', async () => {
      const mocked = inboxApi();
      await renderWith(<ApprovalsInbox />, {
        api: mocked,
        me: me({ userEntityRef: 'user:default/bob', isApprover: true }),
      });
      const card = await screen.findByTestId(`request-card-${second.id}`);
      expect(screen.queryAllByRole('table')).toHaveLength(0);
      expect(screen.queryByTestId(`request-row-${second.id}`)).toBeNull();
      expect(
        within(card).getByText(/payments-dev \(333333333333\)/),
      ).toBeInTheDocument();
      expect(
        within(card).getByRole('link', {
          name: 'PowerUserAccess on payments-dev',
        }),
      ).toBeInTheDocument();
      // choosing a card shows its details
      await userEvent.click(within(card).getByText(/asked/));
      expect(card).toHaveAttribute('aria-current', 'true');
      expect(
        await within(panel()).findByText(second.justification),
      ).toBeInTheDocument();
      // and its actions work from the card
      await userEvent.click(
        within(card).getByRole('button', { name: 'Approve' }),
      );
      await userEvent.click(
        within(screen.getByRole('dialog')).getByRole('button', {
          name: 'Approve',
        }),
      );
      await waitFor(() =>
        expect(mocked.approve).toHaveBeenCalledWith(
          second.id,
          undefined,
          undefined,
        ),
      );
    });
  });
});
