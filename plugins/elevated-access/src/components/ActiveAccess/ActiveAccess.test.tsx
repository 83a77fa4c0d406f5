import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { me, request } from '../../__testUtils__/fixtures';
import { extendByPreset } from '../../__testUtils__/extendDialog';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { ActiveAccess } from './ActiveAccess';

const active = request({
  status: 'active',
  endTime: new Date(Date.now() + 90 * 60_000).toISOString(),
  grantedAt: new Date().toISOString(),
  capabilities: {
    canApprove: false,
    canReject: false,
    canCancel: false,
    canRevoke: true,
    canReview: false,
  },
});

describe('ActiveAccess', () => {
  it('shows active access with the time left and the access portal', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [active] }),
    });
    await renderWith(<ActiveAccess />, {
      api,
      config: {
        elevatedAccess: { accessPortalUrl: 'https://d-123.awsapps.com/start' },
      },
    });
    const card = await screen.findByTestId(`active-${active.id}`);
    expect(
      within(card).getByText(/Ends in 1 h 30 min|Ends in 1 h 29 min/),
    ).toBeInTheDocument();
    expect(
      within(card).getByRole('link', { name: /Open AWS access portal/ }),
    ).toHaveAttribute('href', 'https://d-123.awsapps.com/start');
    expect(api.listRequests).toHaveBeenCalledWith(
      expect.objectContaining({
        view: 'mine',
        status: expect.arrayContaining([
          'pending',
          'approved',
          'granting',
          'active',
          'revoking',
          'error',
        ]),
      }),
    );
  });

  it('offers the requester to extend active access from its card', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [active] }),
      extend: jest.fn().mockResolvedValue({
        id: 'x1',
        requestId: active.id,
        requesterRef: active.requesterRef,
        addedMinutes: 30,
        totalMinutes: 120,
        justification: 'The incident is still open',
        status: 'approved',
        approvalRequired: false,
        minApprovals: 0,
        approvals: 0,
        approverRefs: [],
        previousEndTime: active.endTime,
        newEndTime: new Date(Date.now() + 120 * 60_000).toISOString(),
        createdAt: new Date().toISOString(),
      }),
    });
    await renderWith(<ActiveAccess />, { api, me: me() });
    const card = await screen.findByTestId(`active-${active.id}`);
    await userEvent.click(within(card).getByRole('button', { name: 'Extend' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Extend PowerUserAccess on payments-prod',
    });
    await extendByPreset(dialog, 'The incident is still open');
    expect(api.extend).toHaveBeenCalledWith(
      active.id,
      30,
      'The incident is still open',
    );
    expect(await within(dialog).findByRole('status')).toHaveTextContent(
      /^Extended by 30 min/,
    );
  });

  it("shows no Extend button on access that is not the caller's", async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [active] }),
    });
    await renderWith(<ActiveAccess />, {
      api,
      me: me({ userEntityRef: 'user:default/erin' }),
    });
    const card = await screen.findByTestId(`active-${active.id}`);
    expect(within(card).queryByRole('button', { name: 'Extend' })).toBeNull();
  });

  it('says when access is still present because its removal keeps failing', async () => {
    const stuck = request({
      status: 'revoking',
      errorReason: 'aws-identity-center reported: ConflictException',
    });
    const removing = request({
      id: '00000000-0000-4000-8000-000000000002',
      status: 'revoking',
    });
    const api = mockApi({
      listRequests: jest.fn(async q =>
        q.view === 'mine' ? { items: [stuck, removing] } : { items: [] },
      ),
    });
    await renderWith(<ActiveAccess />, { api });
    const card = await screen.findByTestId(`active-${stuck.id}`);
    expect(
      within(card).getByText('Access still present, retrying removal'),
    ).toBeInTheDocument();
    expect(
      within(card).getByText('aws-identity-center reported: ConflictException'),
    ).toBeInTheDocument();
    expect(within(card).queryByText(/Starts/)).toBeNull();
    expect(
      within(screen.getByTestId(`active-${removing.id}`)).getByText(
        'Access is being removed',
      ),
    ).toBeInTheDocument();
  });

  it('revokes with the comment settings require', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [active] }),
      revoke: jest.fn().mockResolvedValue({ ...active, status: 'revoking' }),
    });
    await renderWith(<ActiveAccess />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Revoke' }),
    );
    const dialog = screen.getByRole('dialog');
    expect(
      within(dialog).getByText(/stay valid until they expire/),
    ).toBeInTheDocument();
    await userEvent.type(within(dialog).getByLabelText('Comment'), 'done');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke' }),
    );
    await waitFor(() =>
      expect(api.revoke).toHaveBeenCalledWith(active.id, 'done'),
    );
  });

  it("lists access in an approver's scope, and says when there is none of one's own", async () => {
    const api = mockApi({
      listRequests: jest.fn(async q =>
        q.view === 'approvals'
          ? {
              items: [
                request({
                  status: 'active',
                  requesterRef: 'user:default/erin',
                }),
              ],
            }
          : { items: [] },
      ),
    });
    await renderWith(<ActiveAccess />, { api, me: me({ isApprover: true }) });
    expect(
      await screen.findByText(/You have no active, upcoming or pending access/),
    ).toBeInTheDocument();
    expect(await screen.findByText('Active in your scope')).toBeInTheDocument();
    expect(await screen.findByText('erin')).toBeInTheDocument();
  });

  it('shows what is active, upcoming and waiting for approval in their own sections', async () => {
    const inAnHour = new Date(Date.now() + 60 * 60_000).toISOString();
    const pending = request({
      id: '00000000-0000-4000-8000-00000000000a',
      status: 'pending',
      approverRefs: ['group:default/platform-leads', 'user:default/bob'],
      expiresAt: new Date(Date.now() + 3 * 60 * 60_000).toISOString(),
    });
    const upcoming = request({
      id: '00000000-0000-4000-8000-00000000000b',
      status: 'approved',
      startTime: inAnHour,
    });
    const api = mockApi({
      listRequests: jest
        .fn()
        .mockResolvedValue({ items: [pending, upcoming, active] }),
    });
    await renderWith(<ActiveAccess />, { api });

    const now = await screen.findByRole('region', { name: /Active now/ });
    expect(within(now).getByTestId(`active-${active.id}`)).toBeInTheDocument();

    const later = screen.getByRole('region', { name: /Upcoming/ });
    const card = within(later).getByTestId(`active-${upcoming.id}`);
    expect(
      within(card).getByText(/Starts in (1 h|59 min)/),
    ).toBeInTheDocument();
    expect(within(card).queryByText('Open AWS access portal')).toBeNull();

    const waiting = screen.getByRole('region', {
      name: /Waiting for approval/,
    });
    const asked = within(waiting).getByTestId(`active-${pending.id}`);
    expect(
      within(asked).getByText(/platform-leads or bob can approve it/),
    ).toBeInTheDocument();
    expect(
      within(asked).getByText(/Closes in (3 h|2 h 59 min)/),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/You have no active, upcoming or pending access/),
    ).toBeNull();
  });

  it('says what is wrong when provisioning failed, never when it starts', async () => {
    const failed = request({
      status: 'error',
      errorReason: 'AccessDeniedException.',
      startTime: new Date(Date.now() - 3 * 60_000).toISOString(),
    });
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [failed] }),
    });
    await renderWith(<ActiveAccess />, { api });
    const card = await screen.findByTestId(`active-${failed.id}`);
    expect(
      within(card).getByText('Granting access failed'),
    ).toBeInTheDocument();
    expect(
      within(card).getByText(
        'AccessDeniedException. An admin can retry it from the request page.',
      ),
    ).toBeInTheDocument();
    expect(within(card).queryByText(/Starts/)).toBeNull();
  });

  it('offers to request access only to those who can', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
    });
    const { unmount } = await renderWith(<ActiveAccess />, { api });
    expect(
      await screen.findByRole('link', { name: 'Request access' }),
    ).toHaveAttribute('href', '/elevated-access/request');
    unmount();

    await renderWith(<ActiveAccess />, {
      api,
      me: me({ canRequest: false }),
    });
    expect(
      await screen.findByText(/No policy lets you request access yet/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Request access' })).toBeNull();
  });

  it('says in plain words when the list cannot load, and retries', async () => {
    const api = mockApi({
      listRequests: jest
        .fn()
        .mockRejectedValueOnce(new TypeError('Failed to fetch'))
        .mockResolvedValue({ items: [active] }),
    });
    await renderWith(<ActiveAccess />, { api });
    const error = await screen.findByTestId('error-state');
    expect(error).toHaveTextContent(/Couldn't load your access/);
    await userEvent.click(within(error).getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByTestId(`active-${active.id}`),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('error-state')).toBeNull();
  });
});
