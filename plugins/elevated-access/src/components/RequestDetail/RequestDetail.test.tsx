import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { detail, me } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { RequestDetail } from './RequestDetail';

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
    {
      eventId: 'e1',
      eventTime: '2026-11-21T10:10:00.000Z',
      eventName: 'PutBucketPolicy',
      eventSource: 's3.amazonaws.com',
      resources: ['payments-bucket'],
      readOnly: false,
      errorCode: 'AccessDenied',
    },
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

const render = (api: ReturnType<typeof mockApi>) =>
  renderWith(
    <Routes>
      <Route path="/requests/:id" element={<RequestDetail />} />
    </Routes>,
    { api, me: me({ canAudit: true }), routeEntries: [`/requests/${id}`] },
  );

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
    await userEvent.type(screen.getByLabelText('Search activity'), 'bucket');
    await waitFor(
      () =>
        expect(api.getActivity).toHaveBeenLastCalledWith(id, {
          q: 'bucket',
          cursor: undefined,
        }),
      { timeout: 2000 },
    );
  });

  it('shows no activity section before access was granted', async () => {
    const api = mockApi({ getRequest: jest.fn().mockResolvedValue(detail()) });
    await render(api);
    await screen.findByText('PowerUserAccess on payments-prod');
    expect(screen.queryByText('Session activity')).not.toBeInTheDocument();
    expect(api.getActivity).not.toHaveBeenCalled();
  });

  it('shows why the request cannot be seen', async () => {
    const api = mockApi({
      getRequest: jest
        .fn()
        .mockRejectedValue(new Error('You may not see this request')),
    });
    await render(api);
    expect(
      (await screen.findAllByText(/You may not see this request/)).length,
    ).toBeGreaterThan(0);
  });
});
