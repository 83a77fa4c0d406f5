import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeBlobUrls, recordDownloads } from '../../__testUtils__/downloads';
import { me, request, targets } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { Audit } from './Audit';
import {
  currentQuery,
  LocationProbe,
  people,
  pick,
} from './__testUtils__/audit';

const AT = '/elevated-access/audit';

/** The list's own calls, without the break-glass banner's count. */
const listCalls = (api: ReturnType<typeof mockApi>) =>
  api.listRequests.mock.calls.filter(([q]) => q.review !== 'awaiting');

async function renderAudit(
  api: ReturnType<typeof mockApi>,
  url = AT,
  catalogEntities: object[] = people,
) {
  api.getTargets.mockResolvedValue(targets);
  return renderWith(
    <>
      <Audit />
      <LocationProbe />
    </>,
    { api, me: me({ canAudit: true }), catalogEntities, routeEntries: [url] },
  );
}

/** No requests listed; both CSV exports answer with a header. */
const exportingApi = () =>
  mockApi({
    listRequests: jest.fn().mockResolvedValue({ items: [] }),
    downloadRequestsCsv: jest.fn().mockResolvedValue(new Blob(['id\n'])),
    downloadActivityCsv: jest
      .fn()
      .mockResolvedValue(new Blob(['request_id\n'])),
  });

describe('Audit', () => {
  beforeEach(fakeBlobUrls);

  it('lists every request; people and accounts are chosen by name and sent as refs and ids', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [request()] }),
    });
    await renderAudit(api);
    expect(
      await screen.findByText('payments-prod (111111111111)'),
    ).toBeInTheDocument();
    expect(api.listRequests).toHaveBeenCalledWith(
      expect.objectContaining({ view: 'all' }),
    );
    // "ali" finds Alice by her user name
    await pick('Requester', 'ali', /Alice Liddell/);
    // the account by the name of its OU
    await pick('Account', 'produc', /payments-prod \(111111111111\)/);
    await waitFor(() =>
      expect(api.listRequests).toHaveBeenLastCalledWith(
        expect.objectContaining({
          view: 'all',
          requester: 'user:default/alice',
          accountId: '111111111111',
        }),
      ),
    );
    expect(currentQuery().get('requester')).toBe('user:default/alice');
    expect(currentQuery().get('account')).toBe('111111111111');
  });

  it('restores its filters from the address, and writes changes back to it', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderAudit(
      api,
      `${AT}?view=requests&requester=user:default/alice&account=111111111111&status=active,pending&used=false&from=2026-11-01&to=2026-11-30`,
    );
    // the pickers show names, not refs
    await waitFor(() =>
      expect(screen.getByLabelText('Requester')).toHaveValue('Alice Liddell'),
    );
    await waitFor(() =>
      expect(screen.getByLabelText('Account')).toHaveValue(
        'payments-prod (111111111111)',
      ),
    );
    expect(screen.getByLabelText('From')).toHaveValue('2026-11-01');
    expect(screen.getByLabelText('To')).toHaveValue('2026-11-30');
    expect(screen.getByRole('button', { name: /Used Unused/ })).toBeVisible();
    // the first call already has every filter: no unfiltered flash
    expect(listCalls(api)).toHaveLength(1);
    expect(api.listRequests).toHaveBeenCalledWith(
      expect.objectContaining({
        view: 'all',
        requester: 'user:default/alice',
        accountId: '111111111111',
        status: ['active', 'pending'],
        used: false,
        from: expect.stringMatching(/^2026-1[01]-/),
        to: expect.stringMatching(/^2026-12-0[12]T|^2026-11-30T/),
      }),
    );

    // a change goes to the address (and the other filters stay)
    await pick('Requester', 'erin', /Erin Example/);
    await waitFor(() =>
      expect(currentQuery().get('requester')).toBe('user:default/erin'),
    );
    expect(currentQuery().get('view')).toBe('requests');
    expect(currentQuery().get('account')).toBe('111111111111');
    expect(api.listRequests).toHaveBeenLastCalledWith(
      expect.objectContaining({ requester: 'user:default/erin' }),
    );

    // clearing the requester removes it from the address and the query
    await userEvent.click(
      within(
        screen.getByLabelText('Requester').closest('.MuiAutocomplete-root')!,
      ).getByTitle('Clear'),
    );
    await waitFor(() => expect(currentQuery().has('requester')).toBe(false));
    expect(api.listRequests).toHaveBeenLastCalledWith(
      expect.objectContaining({ requester: undefined }),
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await waitFor(() =>
      expect(currentQuery().toString()).toBe('view=requests'),
    );
  });

  it('links each request so that its page leads back to these filters', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [request()] }),
    });
    const url = `${AT}?requester=user%3Adefault%2Falice`;
    await renderAudit(api, url);
    await screen.findByText('payments-prod (111111111111)');
    const link = screen
      .getAllByRole('link')
      .find(a => a.getAttribute('href')?.includes('/requests/'))!;
    expect(link).toBeDefined();
    await userEvent.click(link);
    // the request page gets the path it came from, filters included
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        /^\/elevated-access\/requests\/[0-9a-f-]+$/,
      ),
    );
    expect(screen.getByTestId('came-from')).toHaveTextContent(
      '/elevated-access/audit?requester=user%3Adefault%2Falice',
    );
  });

  it('never sends typed text that names nobody; a single exact match is taken', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderAudit(api);
    await waitFor(() => expect(listCalls(api)).toHaveLength(1));
    const requester = screen.getByLabelText('Requester');
    await userEvent.type(requester, 'Alice Smith!');
    expect(
      await screen.findByText('No person matches “Alice Smith!”'),
    ).toBeInTheDocument();
    await userEvent.tab();
    expect(
      await screen.findByText(
        '“Alice Smith!” matches no person; the filter was not changed.',
      ),
    ).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Account'), 'payments');
    await userEvent.tab();
    await new Promise(r => setTimeout(r, 100));
    // nothing typed reached the server, nor the address
    expect(listCalls(api)).toHaveLength(2);
    expect(api.listRequests).toHaveBeenLastCalledWith(
      expect.objectContaining({ accountId: '111111111111' }),
    );
    expect(
      api.listRequests.mock.calls.every(([q]) => q.requester === undefined),
    ).toBe(true);
    expect(currentQuery().has('requester')).toBe(false);

    // text that names one person exactly is taken when the field is left
    await userEvent.clear(requester);
    await userEvent.type(requester, 'alice');
    await userEvent.tab();
    await waitFor(() =>
      expect(api.listRequests).toHaveBeenLastCalledWith(
        expect.objectContaining({ requester: 'user:default/alice' }),
      ),
    );
  });

  it('leaves out what the address holds that it does not understand, and says so', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderAudit(
      api,
      `${AT}?requester=Alice%20Smith!&account=payments&status=active,nonsense&from=yesterday`,
    );
    expect(
      await screen.findByText(
        /Not understood in the link, so not applied: Requester, Account, Status, From/,
      ),
    ).toBeInTheDocument();
    expect(api.listRequests).toHaveBeenCalledWith({
      view: 'all',
      status: undefined,
      accountId: undefined,
      requester: undefined,
      from: undefined,
      to: undefined,
      used: undefined,
    });
  });

  it('filters on used or unused access', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderAudit(api);
    await userEvent.click(screen.getByRole('button', { name: /^Used/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Unused' }),
    );
    await waitFor(() =>
      expect(api.listRequests).toHaveBeenLastCalledWith(
        expect.objectContaining({ view: 'all', used: false }),
      ),
    );
    expect(currentQuery().get('used')).toBe('false');
  });

  it('shows a failed load in words with a Retry, and keeps the filters', async () => {
    const failure = Object.assign(new Error('Request failed with 500'), {
      name: 'ResponseError',
      statusCode: 500,
    });
    let calls = 0;
    const api = mockApi({
      // the list's first load fails (the banner's count is answered)
      listRequests: jest.fn(async query => {
        if (query.review === 'awaiting') return { items: [] };
        calls += 1;
        if (calls === 1) throw failure;
        return { items: [request()] };
      }),
    });
    await renderAudit(api, `${AT}?account=111111111111`);
    const error = await screen.findByTestId('error-state');
    expect(error).toHaveTextContent(
      "Couldn't load the requests: the Elevated Access service had a problem (500).",
    );
    expect(error).not.toHaveTextContent('Request failed with 500');
    expect(screen.getByLabelText('Account')).toBeInTheDocument();
    await userEvent.click(within(error).getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText('payments-prod (111111111111)'),
    ).toBeInTheDocument();
    expect(api.listRequests).toHaveBeenLastCalledWith(
      expect.objectContaining({ accountId: '111111111111' }),
    );
  });

  it('says when nothing matches the filters', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderAudit(api, `${AT}?status=revoked`);
    expect(
      await screen.findByText('No request matches these filters.'),
    ).toBeInTheDocument();
  });

  it('downloads the requests and activity CSVs', async () => {
    const api = exportingApi();
    await renderAudit(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Requests CSV' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Activity CSV' }));
    await waitFor(() => expect(api.downloadRequestsCsv).toHaveBeenCalled());
    expect(api.downloadActivityCsv).toHaveBeenCalled();
    expect(global.URL.createObjectURL).toHaveBeenCalledTimes(2);
  });

  it('downloads exactly what the list shows: the same filters, named in the file', async () => {
    const { saved, restore } = recordDownloads();
    const api = exportingApi();
    await renderAudit(api);
    await pick('Requester', 'eri', /Erin Example/);
    await pick('Account', 'payments', /payments-prod/);
    fireEvent.change(screen.getByLabelText('From'), {
      target: { value: '2026-11-01' },
    });
    await userEvent.click(screen.getByLabelText('Status filter'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('Active'),
    );
    await userEvent.keyboard('{Escape}');
    await waitFor(
      () =>
        expect(api.listRequests).toHaveBeenLastCalledWith(
          expect.objectContaining({
            requester: 'user:default/erin',
            status: ['active'],
            from: expect.any(String),
          }),
        ),
      { timeout: 3000 },
    );
    const { view, cursor, ...listed } = api.listRequests.mock.calls.at(-1)![0];
    expect(view).toBe('all');
    expect(cursor).toBeUndefined();
    expect(listed).toMatchObject({
      requester: 'user:default/erin',
      accountId: '111111111111',
      status: ['active'],
    });

    await userEvent.click(screen.getByRole('button', { name: 'Requests CSV' }));
    await userEvent.click(screen.getByRole('button', { name: 'Activity CSV' }));
    await waitFor(() => expect(saved).toHaveLength(2));
    // the exports get the list's filters, nothing more and nothing less
    expect(api.downloadRequestsCsv).toHaveBeenCalledWith(
      listed,
      expect.anything(),
    );
    expect(api.downloadActivityCsv).toHaveBeenCalledWith(
      listed,
      expect.anything(),
    );
    expect(saved).toEqual([
      'elevated-access-requests_status-active_accountId-111111111111_requester-erin_from-2026-11-01.csv',
      'elevated-access-activity_status-active_accountId-111111111111_requester-erin_from-2026-11-01.csv',
    ]);
    restore();
  });

  it('shows how much of a long export has arrived, and blocks a second click', async () => {
    let finish: (blob: Blob) => void = () => {};
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
      downloadActivityCsv: jest.fn(
        (_query, options) =>
          new Promise<Blob>(resolve => {
            options?.onProgress?.(2.5 * 1024 * 1024);
            finish = resolve;
          }),
      ),
    });
    await renderAudit(api);
    const button = await screen.findByRole('button', { name: 'Activity CSV' });
    await userEvent.click(button);
    expect(button).toHaveTextContent('Downloading… 2.5 MB');
    expect(button).toBeDisabled();
    finish(new Blob(['request_id\n']));
    await waitFor(() => expect(button).toHaveTextContent('Activity CSV'));
    expect(button).toBeEnabled();
    expect(api.downloadActivityCsv).toHaveBeenCalledTimes(1);
    expect(global.URL.createObjectURL).toHaveBeenCalled();
  });
});
