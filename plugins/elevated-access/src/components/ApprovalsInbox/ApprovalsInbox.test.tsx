import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { me, request } from '../../__testUtils__/fixtures';
import { mockApi } from '../../__testUtils__/render';
import { decidableCapabilities, renderInbox } from './__testUtils__/inbox';

// Signals, controllable from the tests: `emitSignal()` is what the backend
// does when any request changes, and every live list refreshes.
jest.mock('@backstage/plugin-signals-react', () =>
  jest.requireActual('../../__testUtils__/signals').signalsModuleMock(),
);

const decidable = request({
  requesterRef: 'user:default/erin',
  capabilities: decidableCapabilities,
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

/** Opens the first request's Approve or Reject dialog. */
async function openFirst(name: 'Approve' | 'Reject') {
  await userEvent.click((await screen.findAllByRole('button', { name }))[0]);
  return screen.getByRole('dialog');
}

describe('ApprovalsInbox', () => {
  it("shows what waits for a decision, with the requester's history", async () => {
    const mocked = api();
    await renderInbox(mocked);
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
    await renderInbox(mocked, me({ isApprover: true }));
    const dialog = await openFirst('Approve');
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
    await renderInbox(mocked, me({ isApprover: true }));
    const dialog = await openFirst('Approve');
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
    await renderInbox(mocked, me({ isApprover: true }));
    const dialog = await openFirst('Reject');
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
    await renderInbox(mocked);
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
    await renderInbox(mocked);
    expect((await screen.findAllByText(justification)).length).toBeGreaterThan(
      0,
    );
    expect(document.querySelector('img[src="x"], b')).toBeNull();
  });

  it('says when nothing waits', async () => {
    const mocked = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderInbox(mocked, me({ isApprover: true }));
    expect(
      await screen.findByText('Nothing waits for your decision.'),
    ).toBeInTheDocument();
  });
});
