import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { me, request } from '../../__testUtils__/fixtures';
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
        status: ['approved', 'granting', 'active', 'revoking'],
      }),
    );
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
      within(card).getByText(
        'Access still present, retrying removal: aws-identity-center reported: ConflictException',
      ),
    ).toBeInTheDocument();
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
      await screen.findByText(/You have no active or upcoming access/),
    ).toBeInTheDocument();
    expect(await screen.findByText('Active in your scope')).toBeInTheDocument();
    expect(await screen.findByText('erin')).toBeInTheDocument();
  });
});
