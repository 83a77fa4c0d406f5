import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeBlobUrls, recordDownloads } from '../../__testUtils__/downloads';
import { searchActivity } from '../../__testUtils__/activity';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { ActivityLog } from './ActivityLog';

const id = '5b8c1a52-0d3c-4a8e-9a53-8b1b2c0f6a11';

describe('ActivityLog downloads', () => {
  let saved: string[];
  beforeEach(() => {
    fakeBlobUrls();
    saved = recordDownloads().saved;
  });
  afterEach(() => jest.restoreAllMocks());

  it('exports the events the search shows, and names the search', async () => {
    const api = mockApi({
      getActivity: jest.fn().mockResolvedValue({
        items: [],
        complete: false,
        nextCursor: undefined,
      }),
      downloadActivityCsv: jest.fn().mockResolvedValue(new Blob(['x\n'])),
    });
    await renderWith(<ActivityLog requestId={id} />, { api });
    const button = await screen.findByRole('button', { name: 'Download CSV' });
    await userEvent.click(button);
    await waitFor(() =>
      expect(api.downloadActivityCsv).toHaveBeenLastCalledWith(
        { requestId: id, q: undefined },
        expect.anything(),
      ),
    );
    expect(saved).toEqual([`elevated-access-activity_requestId-${id}.csv`]);

    await searchActivity(api, id, 'bucket');
    await userEvent.click(button);
    await waitFor(() =>
      expect(api.downloadActivityCsv).toHaveBeenLastCalledWith(
        { requestId: id, q: 'bucket' },
        expect.anything(),
      ),
    );
    expect(saved[1]).toBe(
      `elevated-access-activity_requestId-${id}_q-bucket.csv`,
    );
  });
});
