import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RequestListQuery } from '../../api/ElevatedAccessApi';
import { fakeBlobUrls, recordDownloads } from '../../__testUtils__/downloads';
import { me, request, targets } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { Audit } from './Audit';
import { currentQuery, LocationProbe, people } from './__testUtils__/audit';

/* Break-glass on the audit page (issue 14 §4). */

jest.setTimeout(20_000);

const AT = '/elevated-access/audit';

const awaiting = (id: string) =>
  request({
    id,
    status: 'ended',
    breakGlass: true,
    awaitingReview: true,
    grantedAt: '2026-11-21T10:00:05.000Z',
  });
const normal = request({ id: 'n0000000-0d2b-4d41-8f3e-2b6f8d0c1a11' });

function apiWith(awaitingCount: number) {
  const rows = Array.from({ length: awaitingCount }, (_, i) =>
    awaiting(`a000000${i}-0d2b-4d41-8f3e-2b6f8d0c1a11`),
  );
  const api = mockApi({
    listRequests: jest.fn(async (query: RequestListQuery) => {
      if (query.review === 'awaiting') return { items: rows };
      if (query.breakGlass) return { items: rows };
      return { items: [...rows, normal] };
    }),
    downloadRequestsCsv: jest.fn().mockResolvedValue(new Blob(['id\n'])),
    downloadActivityCsv: jest.fn().mockResolvedValue(new Blob(['id\n'])),
  });
  api.getTargets.mockResolvedValue(targets);
  return api;
}

const render = (api: ReturnType<typeof mockApi>, url = AT) =>
  renderWith(
    <>
      <Audit />
      <LocationProbe />
    </>,
    {
      api,
      me: me({ canAudit: true }),
      catalogEntities: people,
      routeEntries: [url],
    },
  );

describe('break-glass on the audit page', () => {
  beforeEach(() => {
    fakeBlobUrls();
    recordDownloads();
  });
  afterEach(() => jest.restoreAllMocks());

  it('says how many await review and shows them with review=awaiting, carried to the CSVs', async () => {
    const api = apiWith(2);
    await render(api);
    const banner = await screen.findByTestId('awaiting-review-banner');
    expect(banner).toHaveTextContent('2 break-glass requests await review');
    // rows say break-glass
    await waitFor(() =>
      expect(screen.getAllByTestId('break-glass-chip')).toHaveLength(2),
    );
    await userEvent.click(
      within(banner).getByRole('button', { name: 'Show them' }),
    );
    await waitFor(() => expect(currentQuery().get('review')).toBe('awaiting'));
    await waitFor(() =>
      expect(api.listRequests).toHaveBeenLastCalledWith(
        expect.objectContaining({ view: 'all', review: 'awaiting' }),
      ),
    );
    // the control shows the filter the banner applied
    expect(
      screen.getByRole('button', { name: /Break-glass Awaiting review/ }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Requests CSV' }));
    await userEvent.click(screen.getByRole('button', { name: 'Activity CSV' }));
    await waitFor(() =>
      expect(api.downloadRequestsCsv).toHaveBeenCalledWith(
        expect.objectContaining({ review: 'awaiting' }),
        expect.anything(),
      ),
    );
    await waitFor(() =>
      expect(api.downloadActivityCsv).toHaveBeenCalledWith(
        expect.objectContaining({ review: 'awaiting' }),
        expect.anything(),
      ),
    );
  });

  it('filters break-glass only in the address, to the list and the CSV, and reads it back from a link', async () => {
    const api = apiWith(1);
    await render(api);
    expect(
      await screen.findByTestId('awaiting-review-banner'),
    ).toHaveTextContent('1 break-glass request awaits review');
    await userEvent.click(screen.getByRole('button', { name: /^Break-glass/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Break-glass only' }),
    );
    await waitFor(() => expect(currentQuery().get('breakGlass')).toBe('true'));
    await waitFor(() =>
      expect(api.listRequests).toHaveBeenLastCalledWith(
        expect.objectContaining({ view: 'all', breakGlass: true }),
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Requests CSV' }));
    await waitFor(() =>
      expect(api.downloadRequestsCsv).toHaveBeenCalledWith(
        expect.objectContaining({ breakGlass: true }),
        expect.anything(),
      ),
    );
    // choosing a review outcome replaces "only"
    await userEvent.click(screen.getByRole('button', { name: /^Break-glass/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Reviewed inappropriate' }),
    );
    await waitFor(() =>
      expect(currentQuery().get('review')).toBe('inappropriate'),
    );
    expect(currentQuery().has('breakGlass')).toBe(false);
    await waitFor(() =>
      expect(api.listRequests).toHaveBeenLastCalledWith(
        expect.objectContaining({ review: 'inappropriate' }),
      ),
    );
  });

  it('applies review=appropriate from the address', async () => {
    const api = apiWith(0);
    await render(api, `${AT}?review=appropriate`);
    await waitFor(() =>
      expect(api.listRequests).toHaveBeenCalledWith(
        expect.objectContaining({ view: 'all', review: 'appropriate' }),
      ),
    );
    expect(
      screen.getByRole('button', { name: /Break-glass Reviewed appropriate/ }),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('awaiting-review-banner'),
    ).not.toBeInTheDocument();
  });
});
