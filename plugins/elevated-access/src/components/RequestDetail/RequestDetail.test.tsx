import { ResponseError } from '@backstage/errors';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  bucketPolicyEvent,
  searchActivity,
} from '../../__testUtils__/activity';
import { detail, me } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { formatWhen } from '../common/format';
import { RequestPage } from '../../__testUtils__/requestPage';

const id = detail().id;
const granted = detail({
  status: 'ended',
  grantedAt: '2026-11-21T10:00:05.000Z',
  endedAt: '2026-11-21T11:00:02.000Z',
  decisions: [
    {
      approverRef: 'user:default/bob',
      decision: 'approve',
      comment: 'ok',
      createdAt: '2026-11-21T09:58:00.000Z',
    },
  ],
});
const activity = {
  items: [
    { ...bucketPolicyEvent, errorCode: 'AccessDenied' },
    {
      eventId: 'e2',
      eventTime: '2026-11-21T10:05:00.000Z',
      eventName: 'ListBuckets',
      eventSource: 's3.amazonaws.com',
      resources: [],
      readOnly: true,
    },
  ],
  complete: true,
  collectedUntil: '2026-11-21T12:00:00.000Z',
};

const render = (
  api: ReturnType<typeof mockApi>,
  options: {
    state?: unknown;
    catalogEntities?: object[];
    config?: object;
  } = {},
) =>
  renderWith(<RequestPage />, {
    api,
    me: me({ canAudit: true }),
    catalogEntities: options.catalogEntities,
    config: options.config,
    // a location with router state, as links and the form navigate
    routeEntries: [
      {
        pathname: `/elevated-access/requests/${id}`,
        state: options.state,
      } as unknown as string,
    ],
  });

async function failure(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: 'Error',
        headers: { 'content-type': 'application/json' },
      },
    ) as any,
  );
}

describe('RequestDetail', () => {
  it('shows the request, its decisions and its full history', async () => {
    const api = mockApi({
      getRequest: jest.fn().mockResolvedValue(granted),
      getActivity: jest.fn().mockResolvedValue(activity),
    });
    await render(api);
    expect(
      await screen.findByText('PowerUserAccess on payments-prod'),
    ).toBeInTheDocument();
    expect(screen.getByText('Fix the payments pipeline')).toBeInTheDocument();
    expect(screen.getByText('bob approved')).toBeInTheDocument();
    expect(screen.getByTestId('request-history')).toHaveTextContent(
      'Requested; waiting for 1 approval',
    );
    expect(api.getRequest).toHaveBeenCalledWith(id);
  });

  it('shows the session activity with search and the collection marker', async () => {
    const api = mockApi({
      getRequest: jest.fn().mockResolvedValue(granted),
      getActivity: jest.fn().mockResolvedValue(activity),
    });
    await render(api);
    expect(await screen.findByText('PutBucketPolicy')).toBeInTheDocument();
    expect(screen.getByText('AccessDenied')).toBeInTheDocument();
    expect(screen.getByTestId('activity-complete')).toHaveTextContent(
      'Collection complete',
    );
    await searchActivity(api, id, 'bucket');
  });

  it('marks a request for a sensitive account, and only such a request', async () => {
    const api = mockApi({
      getRequest: jest.fn().mockResolvedValue(detail({ sensitive: true })),
    });
    const { unmount } = await render(api);
    expect(await screen.findByTestId('sensitive-chip')).toHaveTextContent(
      'Sensitive account',
    );
    unmount();
    api.getRequest.mockResolvedValue(detail());
    await render(api);
    await screen.findByText('PowerUserAccess on payments-prod');
    expect(screen.queryByTestId('sensitive-chip')).toBeNull();
  });

  it('shows no activity section before access was granted', async () => {
    const api = mockApi({ getRequest: jest.fn().mockResolvedValue(detail()) });
    await render(api);
    await screen.findByText('PowerUserAccess on payments-prod');
    expect(screen.queryByText('Session activity')).not.toBeInTheDocument();
    expect(api.getActivity).not.toHaveBeenCalled();
  });

  it("explains a request one can't see, whose it is, without a Retry", async () => {
    const message =
      "You can't see this request: it belongs to alice. Ask alice, or an approver of it, for what you need.";
    const api = mockApi({
      getRequest: jest.fn().mockRejectedValue(await failure(403, message)),
    });
    await render(api);
    const alert = await screen.findByTestId('error-state');
    expect(alert).toHaveTextContent(message);
    expect(alert).toHaveTextContent(
      'A request is shown to the person who asked for it, its approvers, auditors and Elevated Access admins.',
    );
    expect(alert).not.toHaveTextContent('403');
    expect(
      within(alert).queryByRole('button', { name: 'Retry' }),
    ).not.toBeInTheDocument();
    // the way back is still there
    expect(screen.getByTestId('request-back')).toHaveTextContent('My requests');
  });

  it('explains a request that does not exist', async () => {
    const api = mockApi({
      getRequest: jest
        .fn()
        .mockRejectedValue(
          await failure(404, `There is no request ${id}. Check the link.`),
        ),
    });
    await render(api);
    const alert = await screen.findByTestId('error-state');
    expect(alert).toHaveTextContent(
      `There is no request ${id}. Check the link.`,
    );
    expect(alert).toHaveTextContent('The link may be incomplete or mistyped');
    expect(
      within(alert).queryByRole('button', { name: 'Retry' }),
    ).not.toBeInTheDocument();
  });

  it('offers a Retry when the service failed', async () => {
    const api = mockApi({
      getRequest: jest
        .fn()
        .mockRejectedValueOnce(await failure(503, '<html>Bad gateway</html>'))
        .mockResolvedValue(detail()),
    });
    await render(api);
    const alert = await screen.findByTestId('error-state');
    expect(alert).not.toHaveTextContent('<html>');
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText('PowerUserAccess on payments-prod'),
    ).toBeInTheDocument();
  });

  it('leads back to the page it was opened from, with its filters', async () => {
    const api = mockApi({ getRequest: jest.fn().mockResolvedValue(detail()) });
    await render(api, {
      state: {
        from: {
          path: '/elevated-access/audit?requester=alice',
          label: 'Audit',
        },
      },
    });
    const back = await screen.findByTestId('request-back');
    expect(back).toHaveTextContent('Audit');
    expect(back).toHaveAttribute(
      'href',
      '/elevated-access/audit?requester=alice',
    );
  });

  it('leads back to My requests when opened directly', async () => {
    const api = mockApi({ getRequest: jest.fn().mockResolvedValue(detail()) });
    await render(api);
    const back = await screen.findByTestId('request-back');
    expect(back).toHaveTextContent('My requests');
    expect(back).toHaveAttribute('href', '/elevated-access/requests');
  });

  it('after submitting, names who was notified and can approve', async () => {
    const api = mockApi({ getRequest: jest.fn().mockResolvedValue(detail()) });
    await render(api, {
      state: { submitted: true },
      catalogEntities: [
        { kind: 'User', metadata: { name: 'bob', namespace: 'default' } },
        { kind: 'User', metadata: { name: 'erin', namespace: 'default' } },
        // the requester is never told of their own request
        { kind: 'User', metadata: { name: 'alice', namespace: 'default' } },
      ],
    });
    expect(
      await screen.findByText(
        'Request submitted. bob and erin (platform-leads) were notified and can approve it.',
      ),
    ).toBeInTheDocument();
  });

  it('after submitting one without approval, says when access starts', async () => {
    const api = mockApi({
      getRequest: jest.fn().mockResolvedValue(
        detail({
          status: 'approved',
          approvalRequired: false,
          approverRefs: [],
          startTime: new Date().toISOString(),
        }),
      ),
    });
    await render(api, { state: { submitted: true } });
    expect(await screen.findByTestId('request-submitted')).toHaveTextContent(
      'Request submitted. No approval needed: access starts in a moment.',
    );
  });

  it('shows no success message when opened later', async () => {
    const api = mockApi({ getRequest: jest.fn().mockResolvedValue(detail()) });
    await render(api);
    await screen.findByText('PowerUserAccess on payments-prod');
    expect(screen.queryByTestId('request-submitted')).not.toBeInTheDocument();
  });

  it('shows the time left of active access and the access portal', async () => {
    const api = mockApi({
      getRequest: jest.fn().mockResolvedValue(
        detail({
          status: 'active',
          grantedAt: new Date(Date.now() - 8 * 60_000).toISOString(),
          endTime: new Date(Date.now() + 52 * 60_000 + 20_000).toISOString(),
        }),
      ),
      getActivity: jest.fn().mockResolvedValue({ items: [], complete: false }),
    });
    await render(api, {
      config: {
        elevatedAccess: {
          accessPortalUrl: 'https://example.awsapps.com/start',
        },
      },
    });
    expect(await screen.findByTestId('time-left')).toHaveTextContent(
      'Ends in 52 min',
    );
    expect(
      screen.getByRole('link', { name: /Open AWS access portal/ }),
    ).toHaveAttribute('href', 'https://example.awsapps.com/start');
  });

  it('says when open sessions were ended, from the history', async () => {
    const api = mockApi({
      getRequest: jest.fn().mockResolvedValue(
        detail({
          ...granted,
          status: 'revoked',
          events: [
            {
              id: '7',
              entityType: 'request',
              entityId: id,
              action: 'sessions-ended',
              actorRef: 'system:elevated-access',
              message:
                'Open sessions were ended at 2026-11-21T10:31:00.000Z: sessions of alice in account 111111111111 issued before 2026-11-21T10:30:00Z are denied',
              createdAt: '2026-11-21T10:31:00.000Z',
            },
          ],
        }),
      ),
      getActivity: jest.fn().mockResolvedValue(activity),
    });
    await render(api);
    const line = await screen.findByTestId('sessions-ended');
    const local = new Date('2026-11-21T10:31:00.000Z').toLocaleTimeString(
      'en-US',
      { hour: 'numeric', minute: '2-digit' },
    );
    expect(line).toHaveTextContent(`Open sessions were ended at ${local}`);
  });

  it('says nothing of open sessions when none were ended', async () => {
    const api = mockApi({
      getRequest: jest.fn().mockResolvedValue(granted),
      getActivity: jest.fn().mockResolvedValue(activity),
    });
    await render(api);
    await screen.findByText('PowerUserAccess on payments-prod');
    expect(screen.queryByTestId('sessions-ended')).not.toBeInTheDocument();
  });

  it('shows people by name and other requests as links in the history', async () => {
    const other = '0a1b2c3d-0000-4000-8000-000000000001';
    const api = mockApi({
      getRequest: jest.fn().mockResolvedValue(
        detail({
          events: [
            {
              id: '2',
              entityType: 'request',
              entityId: id,
              action: 'revoke',
              actorRef: 'user:default/alice',
              toStatus: 'revoking',
              message: `Revoked by user:default/alice; overlaps request ${other}`,
              createdAt: '2026-11-21T10:30:00.000Z',
            },
          ],
        }),
      ),
    });
    await render(api);
    const history = await screen.findByTestId('request-history');
    expect(history).toHaveTextContent(
      'Revoked by alice; overlaps request 0a1b2c3d',
    );
    expect(history).not.toHaveTextContent('user:default');
    expect(
      within(history).getByRole('link', { name: '0a1b2c3d' }),
    ).toHaveAttribute('href', `/elevated-access/requests/${other}`);
  });

  it("writes the server's moments in the history in the reader's zone", async () => {
    const api = mockApi({
      getRequest: jest.fn().mockResolvedValue(
        detail({
          events: [
            {
              id: '3',
              entityType: 'request',
              entityId: id,
              action: 'grant',
              actorRef: 'system:elevated-access',
              toStatus: 'active',
              message: 'Access granted; until 2026-11-21T11:30:00.000Z',
              createdAt: '2026-11-21T10:30:00.000Z',
            },
          ],
        }),
      ),
    });
    await render(api);
    const history = await screen.findByTestId('request-history');
    expect(history).toHaveTextContent('Access granted; until');
    expect(history).not.toHaveTextContent('2026-11-21T11:30');
    expect(history).toHaveTextContent(formatWhen('2026-11-21T11:30:00.000Z'));
  });
});
