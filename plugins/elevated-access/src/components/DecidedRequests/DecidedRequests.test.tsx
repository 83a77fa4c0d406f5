import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  AccessRequest,
  Page,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { RequestListQuery } from '../../api/ElevatedAccessApi';
import { fakeBlobUrls, recordDownloads } from '../../__testUtils__/downloads';
import { me, request } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { people, pick } from '../Audit/__testUtils__/audit';
import { DecidedRequests } from './DecidedRequests';

const approver = me({ isApprover: true });

const approved = request({
  status: 'approved',
  approvals: 1,
  decidedBy: [
    {
      approverRef: 'user:default/bob',
      decision: 'approve',
      createdAt: '2026-11-21T09:58:00.000Z',
    },
  ],
});

describe('DecidedRequests', () => {
  beforeEach(() => {
    fakeBlobUrls();
  });
  afterEach(() => jest.restoreAllMocks());

  it('lists the decided view with who decided, and pages with Load more', async () => {
    const api = mockApi({
      listRequests: jest
        .fn()
        .mockResolvedValueOnce({ items: [approved], nextCursor: 'abc' })
        .mockResolvedValueOnce({
          items: [
            request({
              id: '6f1c2a9e-0d2b-4d41-8f3e-2b6f8d0c1a13',
              status: 'ended',
              requesterRef: 'user:default/erin',
              accountName: 'data-dev',
              accountId: '444444444444',
            }),
          ],
        }),
    });
    await renderWith(<DecidedRequests />, { api, me: approver });
    expect(
      await screen.findByText('payments-prod (111111111111)'),
    ).toBeInTheDocument();
    expect(screen.getByText('(approved)')).toBeInTheDocument();
    expect(api.listRequests).toHaveBeenCalledWith({
      view: 'decided',
      status: undefined,
      requester: undefined,
      cursor: undefined,
    });
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(
      await screen.findByText('data-dev (444444444444)'),
    ).toBeInTheDocument();
    expect(screen.getByText('erin')).toBeInTheDocument();
    expect(api.listRequests).toHaveBeenLastCalledWith({
      view: 'decided',
      status: undefined,
      requester: undefined,
      cursor: 'abc',
    });
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
  });

  it('shows loading, then says when nothing was decided', async () => {
    let answer: (page: { items: [] }) => void = () => {};
    const api = mockApi({
      listRequests: jest.fn(
        (_query: RequestListQuery) =>
          new Promise<Page<AccessRequest>>(resolve => {
            answer = resolve;
          }),
      ),
    });
    await renderWith(<DecidedRequests />, { api, me: approver });
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    answer({ items: [] });
    expect(await screen.findByText(/Nothing decided yet/)).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('shows why the list cannot load, and keeps the filters', async () => {
    const api = mockApi({
      listRequests: jest
        .fn()
        .mockRejectedValue(
          new Error('Only approvers and admins can list decided requests'),
        ),
    });
    await renderWith(<DecidedRequests />, { api, me: approver });
    expect(
      (await screen.findAllByText(/Only approvers and admins/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Status filter')).toBeInTheDocument();
    expect(screen.getByLabelText('Requester')).toBeInTheDocument();
  });

  it('filters on the server and downloads exactly the filtered list', async () => {
    const { saved } = recordDownloads();
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
      downloadDecidedCsv: jest.fn().mockResolvedValue(new Blob(['id\n'])),
    });
    await renderWith(<DecidedRequests />, {
      api,
      me: approver,
      catalogEntities: people,
    });
    // the requester is chosen by name from the catalog
    await pick('Requester', 'eri', /Erin Example/);
    await userEvent.click(screen.getByLabelText('Status filter'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('Rejected'),
    );
    await userEvent.keyboard('{Escape}');
    await waitFor(
      () =>
        expect(api.listRequests).toHaveBeenLastCalledWith({
          view: 'decided',
          status: ['rejected'],
          requester: 'user:default/erin',
          cursor: undefined,
        }),
      { timeout: 3000 },
    );
    expect(
      await screen.findByText('No decided request matches these filters.'),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Decided CSV' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(api.downloadDecidedCsv).toHaveBeenCalledWith(
      { status: ['rejected'], requester: 'user:default/erin' },
      expect.anything(),
    );
    expect(saved).toEqual([
      'elevated-access-decided_status-rejected_requester-erin.csv',
    ]);
  });

  it('reads its filters from the address and never sends typed text that names nobody', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [approved] }),
    });
    await renderWith(<DecidedRequests />, {
      api,
      me: approver,
      catalogEntities: people,
      routeEntries: [
        '/elevated-access/decided?status=approved&requester=user:default/alice',
      ],
    });
    await waitFor(() =>
      expect(api.listRequests).toHaveBeenCalledWith({
        view: 'decided',
        status: ['approved'],
        requester: 'user:default/alice',
        cursor: undefined,
      }),
    );
    const field = screen.getByLabelText('Requester');
    await waitFor(() => expect(field).toHaveValue('Alice Liddell'));
    await userEvent.clear(field);
    await userEvent.type(field, 'Alice Smith');
    await userEvent.tab();
    expect(
      await screen.findByText(/matches no person; the filter was not changed/),
    ).toBeInTheDocument();
    expect(api.listRequests).not.toHaveBeenCalledWith(
      expect.objectContaining({ requester: 'Alice Smith' }),
    );
    expect(screen.queryByTestId('error-state')).not.toBeInTheDocument();
  });
});
