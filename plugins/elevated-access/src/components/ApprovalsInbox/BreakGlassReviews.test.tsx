import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { RequestListQuery } from '../../api/ElevatedAccessApi';
import { me, request } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { LocationProbe } from '../Audit/__testUtils__/audit';
import { ApprovalsInbox } from './ApprovalsInbox';

/* The "Break-glass to review" section of the Approvals tab (issue 14 §4). */

jest.setTimeout(20_000);

const ready = request({
  id: 'b1b1b1b1-0d2b-4d41-8f3e-2b6f8d0c1a11',
  requesterRef: 'user:default/alice',
  status: 'ended',
  breakGlass: true,
  awaitingReview: true,
  grantedAt: '2026-11-21T10:00:05.000Z',
  endedAt: '2026-11-21T10:30:00.000Z',
  activityComplete: true,
  used: true,
  capabilities: {
    canApprove: false,
    canReject: false,
    canCancel: false,
    canRevoke: false,
    canReview: true,
  },
});
const stillOn = request({
  id: 'b2b2b2b2-0d2b-4d41-8f3e-2b6f8d0c1a11',
  requesterRef: 'user:default/erin',
  accountName: 'payments-dev',
  status: 'active',
  breakGlass: true,
  awaitingReview: true,
  grantedAt: '2026-11-21T10:00:05.000Z',
});

function apiWith(reviews: ReturnType<typeof request>[]) {
  return mockApi({
    listRequests: jest.fn(async (query: RequestListQuery) =>
      query.view === 'reviews' ? { items: reviews } : { items: [] },
    ),
  });
}

const render = (api: ReturnType<typeof mockApi>) =>
  renderWith(
    <>
      <Routes>
        <Route path="/elevated-access/approvals" element={<ApprovalsInbox />} />
        <Route
          path="/elevated-access/requests/:id"
          element={<p>request page</p>}
        />
      </Routes>
      <LocationProbe />
    </>,
    {
      api,
      me: me({ userEntityRef: 'user:default/bob', isApprover: true }),
      routeEntries: ['/elevated-access/approvals'],
    },
  );

describe('Break-glass to review', () => {
  it('lists what awaits review, with its state, and leads to the review dialog', async () => {
    const api = apiWith([ready, stillOn]);
    await render(api);
    const section = await screen.findByRole('region', {
      name: 'Break-glass to review',
    });
    expect(api.listRequests).toHaveBeenCalledWith(
      expect.objectContaining({ view: 'reviews' }),
    );
    const first = within(section).getByTestId(`review-row-${ready.id}`);
    expect(first).toHaveTextContent('alice · PowerUserAccess on payments-prod');
    expect(first).toHaveTextContent(
      'Ended, activity collected, used: ready to review',
    );
    const second = within(section).getByTestId(`review-row-${stillOn.id}`);
    expect(second).toHaveTextContent(
      'Access still on: review once it has ended',
    );
    expect(
      within(second).getByRole('link', {
        name: "Open erin's break-glass request for PowerUserAccess on payments-dev",
      }),
    ).toBeInTheDocument();
    await userEvent.click(
      within(first).getByRole('link', {
        name: "Review alice's break-glass access to PowerUserAccess on payments-prod",
      }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        `/elevated-access/requests/${ready.id}?review=1`,
      ),
    );
  });

  it('is not shown when nothing awaits review', async () => {
    const api = apiWith([]);
    await render(api);
    expect(
      await screen.findByText('Nothing waits for your decision.'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(api.listRequests).toHaveBeenCalledWith(
        expect.objectContaining({ view: 'reviews' }),
      ),
    );
    expect(
      screen.queryByRole('region', { name: 'Break-glass to review' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByText('Break-glass to review')).not.toBeInTheDocument();
  });
});
