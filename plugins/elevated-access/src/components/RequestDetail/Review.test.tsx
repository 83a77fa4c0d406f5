import { ResponseError } from '@backstage/errors';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { bucketPolicyEvent } from '../../__testUtils__/activity';
import { detail, me, request } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { NoticeProvider } from '../common/notice';
import { ReviewOutcome } from '../../api/ElevatedAccessApi';
import { RequestPage } from '../../__testUtils__/requestPage';

/* The break-glass review on the request page (issue 14 §4). */

jest.setTimeout(20_000);

const ended = detail({
  status: 'ended',
  breakGlass: true,
  awaitingReview: true,
  approvalRequired: false,
  grantedAt: '2026-11-21T10:00:05.000Z',
  endedAt: '2026-11-21T11:00:02.000Z',
  activityComplete: true,
});
const id = ended.id;
const TITLE =
  "Review alice's break-glass access to PowerUserAccess on payments-prod";
const activity = {
  items: [bucketPolicyEvent],
  complete: true,
};

const render = (api: ReturnType<typeof mockApi>, search = '') =>
  renderWith(
    <NoticeProvider>
      <RequestPage />
    </NoticeProvider>,
    {
      api,
      me: me({ userEntityRef: 'user:default/bob', isApprover: true }),
      routeEntries: [`/elevated-access/requests/${id}${search}`],
    },
  );

const reviewable = {
  ...ended,
  capabilities: { ...ended.capabilities, canReview: true },
};

describe('break-glass review on the request page', () => {
  it('marks the request break-glass and says the review comes once access ended and activity is collected', async () => {
    const active = detail({
      status: 'active',
      breakGlass: true,
      awaitingReview: true,
      grantedAt: '2026-11-21T10:00:05.000Z',
    });
    const api = mockApi({
      getRequest: jest.fn().mockResolvedValue(active),
      getActivity: jest.fn().mockResolvedValue({ items: [], complete: false }),
      getExtensions: jest
        .fn()
        .mockResolvedValue({ canExtend: false, extensions: [] }),
    });
    await render(api);
    expect(await screen.findByTestId('break-glass-chip')).toHaveTextContent(
      'Break-glass',
    );
    expect(screen.getByTestId('break-glass-review')).toHaveTextContent(
      'An approver reviews this break-glass access once it has ended and its activity is collected',
    );
    expect(
      screen.queryByRole('button', { name: 'Review' }),
    ).not.toBeInTheDocument();
  });

  it('tells the requester right after submitting that break-glass was granted at once and who was told', async () => {
    const api = mockApi({
      getRequest: jest.fn().mockResolvedValue(
        detail({
          status: 'approved',
          breakGlass: true,
          approvalRequired: false,
        }),
      ),
      getExtensions: jest
        .fn()
        .mockResolvedValue({ canExtend: false, extensions: [] }),
    });
    await renderWith(<RequestPage />, {
      api,
      routeEntries: [
        {
          pathname: `/elevated-access/requests/${id}`,
          state: { submitted: true },
        } as unknown as string,
      ],
    });
    expect(await screen.findByTestId('request-submitted')).toHaveTextContent(
      'Break-glass access granted at once, without approval. Every approver and the auditors were told; an approver reviews it once it has ended.',
    );
  });

  it('shows no chip and no review for a normal request', async () => {
    const api = mockApi({
      getRequest: jest.fn().mockResolvedValue(detail()),
      getExtensions: jest
        .fn()
        .mockResolvedValue({ canExtend: false, extensions: [] }),
    });
    await render(api);
    await screen.findByTestId('request-history');
    expect(screen.queryByTestId('break-glass-chip')).not.toBeInTheDocument();
    expect(screen.queryByTestId('break-glass-review')).not.toBeInTheDocument();
  });

  it('lets an approver review next to the activity: inappropriate needs a comment, then the verdict and a notice show', async () => {
    const reviewed = {
      ...ended,
      awaitingReview: false,
      review: {
        reviewerRef: 'user:default/bob',
        outcome: 'inappropriate' as const,
        comment: 'Changed a bucket policy',
        createdAt: '2026-11-21T12:30:00.000Z',
      },
    };
    let done = false;
    const api = mockApi({
      getRequest: jest.fn(async (_id: string) =>
        done ? reviewed : reviewable,
      ),
      getActivity: jest.fn().mockResolvedValue(activity),
      getExtensions: jest
        .fn()
        .mockResolvedValue({ canExtend: false, extensions: [] }),
      review: jest.fn(
        async (_id: string, _outcome: ReviewOutcome, _comment?: string) => {
          done = true;
          return request(reviewed);
        },
      ),
    });
    await render(api);
    // the reviewer sees the session's activity on the same page
    expect(await screen.findByText('PutBucketPolicy')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    const dialog = await screen.findByRole('dialog', { name: TITLE });
    await waitFor(() =>
      expect(
        within(dialog).getByRole('radio', { name: 'Appropriate' }),
      ).toHaveFocus(),
    );
    const submit = within(dialog).getByRole('button', {
      name: 'Submit review',
    });
    expect(submit).toBeDisabled();
    await userEvent.click(
      within(dialog).getByRole('radio', { name: 'Inappropriate' }),
    );
    const comment = within(dialog).getByRole('textbox', { name: /Comment/ });
    expect(comment).toBeRequired();
    expect(
      within(dialog).getByText(/Required for Inappropriate/),
    ).toBeInTheDocument();
    expect(submit).toBeDisabled();
    await userEvent.type(comment, 'Changed a bucket policy');
    await userEvent.click(submit);
    expect(api.review).toHaveBeenCalledWith(
      id,
      'inappropriate',
      'Changed a bucket policy',
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(await screen.findByTestId('notice')).toHaveTextContent(
      "Review recorded: alice's break-glass access marked inappropriate",
    );
    await waitFor(() =>
      expect(screen.getByTestId('break-glass-review')).toHaveTextContent(
        /^Reviewed by bob: inappropriate — Changed a bucket policy \(/,
      ),
    );
    expect(
      screen.queryByRole('button', { name: 'Review' }),
    ).not.toBeInTheDocument();
  });

  it('sends an appropriate review without a comment, and shows a refusal in the dialog', async () => {
    const refusal = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'ConflictError',
            message: 'Already reviewed by carol: appropriate',
          },
          response: { statusCode: 409 },
        }),
        {
          status: 409,
          statusText: 'Conflict',
          headers: { 'content-type': 'application/json' },
        },
      ) as any,
    );
    const api = mockApi({
      getRequest: jest.fn().mockResolvedValue(reviewable),
      getActivity: jest.fn().mockResolvedValue(activity),
      getExtensions: jest
        .fn()
        .mockResolvedValue({ canExtend: false, extensions: [] }),
      review: jest.fn().mockRejectedValue(refusal),
    });
    // the Approvals tab links here with ?review=1: the dialog opens at once
    await render(api, '?review=1');
    const dialog = await screen.findByRole('dialog', { name: TITLE });
    await userEvent.click(
      within(dialog).getByRole('radio', { name: 'Appropriate' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Submit review' }),
    );
    expect(api.review).toHaveBeenCalledWith(id, 'appropriate', undefined);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Already reviewed by carol: appropriate',
    );
  });
});
