import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { request } from '../../__testUtils__/fixtures';
import { alerts, mockApi } from '../../__testUtils__/render';
import { phoneScreen } from '../../__testUtils__/phoneScreen';
import { emitSignal } from '../../__testUtils__/signals';
import {
  clickInRow,
  decidableCapabilities,
  renderInbox,
} from './__testUtils__/inbox';

// Signals, controllable from the tests: `emitSignal()` is what the backend
// does when any request changes, and every live list refreshes.
jest.mock('@backstage/plugin-signals-react', () =>
  jest.requireActual('../../__testUtils__/signals').signalsModuleMock(),
);

describe('ApprovalsInbox for people', () => {
  const capabilities = decidableCapabilities;
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
    await renderInbox(inboxApi());
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
    await renderInbox(inboxApi());
    await clickInRow(second, 'Approve');
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
    await renderInbox(mocked);
    await clickInRow(first, 'Approve');
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
    await renderInbox(mocked);
    await clickInRow(second, 'Reject');
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
    await renderInbox(mocked);
    await clickInRow(first, 'Approve');
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
    await renderInbox(mocked);
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
    let restoreScreen: () => void;
    beforeEach(() => {
      restoreScreen = phoneScreen();
    });
    afterEach(() => restoreScreen());

    it('shows cards with their actions instead of a wide table', async () => {
      const mocked = inboxApi();
      await renderInbox(mocked);
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
