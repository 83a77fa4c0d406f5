import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  RequestExtension,
  RequestExtensionsResponse,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { detail, me } from '../../__testUtils__/fixtures';
import { extendByPreset } from '../../__testUtils__/extendDialog';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { LocationProbe } from '../Audit/__testUtils__/audit';
import { RequestPage } from '../../__testUtils__/requestPage';

/* Extend in place on the request page (issue 14 §2). */

const active = detail({
  status: 'active',
  grantedAt: '2026-11-21T10:00:00.000Z',
  endTime: '2026-11-21T11:00:00.000Z',
});
const id = active.id;

const extension = (
  overrides: Partial<RequestExtension> = {},
): RequestExtension => ({
  id: 'x1',
  requestId: id,
  requesterRef: 'user:default/alice',
  addedMinutes: 30,
  totalMinutes: 90,
  justification: 'The incident is still open',
  status: 'approved',
  approvalRequired: false,
  minApprovals: 0,
  approvals: 0,
  approverRefs: ['group:default/platform-leads'],
  previousEndTime: '2026-11-21T11:00:00.000Z',
  newEndTime: '2026-11-21T11:30:00.000Z',
  createdAt: '2026-11-21T10:40:00.000Z',
  ...overrides,
});

/** The active request's page: no activity yet, Extend offered unless said. */
const activeApi = (overrides: Parameters<typeof mockApi>[0] = {}) =>
  mockApi({
    getRequest: jest.fn().mockResolvedValue(active),
    getActivity: jest.fn().mockResolvedValue({ items: [], complete: false }),
    getExtensions: jest
      .fn()
      .mockResolvedValue({ canExtend: true, extensions: [] }),
    ...overrides,
  });

const render = (
  api: ReturnType<typeof mockApi>,
  as: 'alice' | 'bob',
  search = '',
) =>
  renderWith(<RequestPage />, {
    api,
    me: me({ userEntityRef: `user:default/${as}` }),
    routeEntries: [`/elevated-access/requests/${id}${search}`],
  });

describe('extend in place', () => {
  it('opens the extend dialog from the "ends soon" link, focused and named, and shows the outcome', async () => {
    const api = activeApi({
      extend: jest.fn().mockResolvedValue(extension()),
    });
    await render(api, 'alice', '?extend=1');

    const dialog = await screen.findByRole('dialog', {
      name: 'Extend PowerUserAccess on payments-prod',
    });
    await waitFor(() =>
      expect(
        within(dialog).getByRole('radio', { name: '30 min' }),
      ).toHaveFocus(),
    );
    const submit = within(dialog).getByRole('button', { name: 'Extend' });
    expect(submit).toBeDisabled();
    await userEvent.click(within(dialog).getByRole('radio', { name: '1 h' }));
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Justification' }),
      'The incident is still open',
    );
    await userEvent.click(submit);
    expect(api.extend).toHaveBeenCalledWith(
      id,
      60,
      'The incident is still open',
    );
    expect(await within(dialog).findByRole('status')).toHaveTextContent(
      /^Extended by 30 min: access now ends /,
    );
    // the page shows the real window: from the grant to the end
    expect(screen.getByText(/\(1 h\)$/)).toBeInTheDocument();
  });

  it('opens from the link once: the address loses ?extend=1, so a reload does not reopen it', async () => {
    const api = activeApi();
    await renderWith(
      <>
        <RequestPage />
        <LocationProbe />
      </>,
      {
        api,
        me: me({ userEntityRef: 'user:default/alice' }),
        routeEntries: [`/elevated-access/requests/${id}?extend=1`],
      },
    );
    await screen.findByRole('dialog');
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        `/elevated-access/requests/${id}`,
      ),
    );
    expect(screen.getByTestId('location')).not.toHaveTextContent('extend');
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('flags a justification over the limit instead of cutting it', async () => {
    const api = activeApi({
      extend: jest.fn(),
    });
    await render(api, 'alice', '?extend=1');
    const dialog = await screen.findByRole('dialog');
    const field = within(dialog).getByRole('textbox', {
      name: 'Justification',
    });
    fireEvent.change(field, { target: { value: 'x'.repeat(2940) } });
    expect(field).toHaveValue('x'.repeat(2940));
    expect(
      within(dialog).getByText(
        'Justification is 2,940 characters; the limit is 2,000',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Extend' }),
    ).toBeDisabled();
    expect(api.extend).not.toHaveBeenCalled();
  });

  it('says when the extension went to the approvers, and shows a refusal in place', async () => {
    const pending = extension({
      status: 'pending',
      approvalRequired: true,
      minApprovals: 1,
      newEndTime: undefined,
    });
    let sent = false;
    const api = activeApi({
      // once sent, the server no longer offers Extend: the open dialog must
      // survive the reload that follows and keep its outcome readable
      getExtensions: jest.fn(
        async (_id: string): Promise<RequestExtensionsResponse> =>
          sent
            ? {
                canExtend: false,
                extensions: [pending],
                pending: { ...pending, canDecide: false },
              }
            : { canExtend: true, extensions: [] },
      ),
      extend: jest
        .fn()
        .mockRejectedValueOnce(
          new Error(
            'Invalid input: durationMinutes: 2 h more would make 3 h from the grant; PowerUserAccess on payments-prod can be requested for at most 2 h',
          ),
        )
        .mockImplementationOnce(async () => {
          sent = true;
          return pending;
        }),
    });
    await render(api, 'alice');
    await userEvent.click(
      await screen.findByRole('button', { name: 'Extend' }),
    );
    const dialog = await screen.findByRole('dialog');
    await extendByPreset(dialog, 'The migration takes longer');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'can be requested for at most 2 h',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Extend' }),
    );
    expect(await within(dialog).findByRole('status')).toHaveTextContent(
      /^Sent to the approvers: 30 min more needs approval/,
    );
    expect(await screen.findByTestId('pending-extension')).toBeInTheDocument();
    expect(within(dialog).getByRole('status')).toBeInTheDocument();
  });

  it('shows the pending extension; an approver approves it there', async () => {
    const pending = extension({
      status: 'pending',
      approvalRequired: true,
      minApprovals: 1,
      newEndTime: undefined,
    });
    const api = activeApi({
      getExtensions: jest.fn().mockResolvedValue({
        canExtend: false,
        pending: { ...pending, canDecide: true },
        extensions: [pending],
      }),
      decideExtension: jest.fn().mockResolvedValue(
        extension({
          status: 'approved',
          approvalRequired: true,
          minApprovals: 1,
          approvals: 1,
          decidedBy: 'user:default/bob',
        }),
      ),
    });
    await render(api, 'bob');
    const notice = await screen.findByTestId('pending-extension');
    expect(notice).toHaveTextContent(
      'alice asks for 30 min more (1 h 30 min from the grant)',
    );
    expect(screen.queryByRole('button', { name: 'Extend' })).toBeNull();
    await userEvent.click(
      within(notice).getByRole('button', { name: 'Approve extension' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Approve 30 min more of PowerUserAccess on payments-prod for alice?',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve extension' }),
    );
    await waitFor(() =>
      expect(api.decideExtension).toHaveBeenCalledWith(
        id,
        'approve',
        undefined,
      ),
    );
  });
});
