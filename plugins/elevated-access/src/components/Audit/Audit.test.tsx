import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { me, request } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { Audit } from './Audit';

describe('Audit', () => {
  beforeEach(() => {
    global.URL.createObjectURL = jest.fn(() => 'blob:x');
    global.URL.revokeObjectURL = jest.fn();
  });

  it('lists every request and applies the filters on the server', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [request()] }),
    });
    await renderWith(<Audit />, { api, me: me({ canAudit: true }) });
    expect(
      await screen.findByText('payments-prod (111111111111)'),
    ).toBeInTheDocument();
    expect(api.listRequests).toHaveBeenCalledWith(
      expect.objectContaining({ view: 'all' }),
    );
    await userEvent.type(screen.getByLabelText('Requester'), 'alice');
    await userEvent.type(screen.getByLabelText('Account id'), '111111111111');
    await waitFor(
      () =>
        expect(api.listRequests).toHaveBeenLastCalledWith(
          expect.objectContaining({
            view: 'all',
            requester: 'alice',
            accountId: '111111111111',
          }),
        ),
      { timeout: 3000 },
    );
  });

  it('filters on used or unused access', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderWith(<Audit />, { api });
    await userEvent.click(screen.getByLabelText('Used'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Unused' }),
    );
    await waitFor(
      () =>
        expect(api.listRequests).toHaveBeenLastCalledWith(
          expect.objectContaining({ view: 'all', used: false }),
        ),
      { timeout: 3000 },
    );
  });

  it('does not send an account filter that is not an account id', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderWith(<Audit />, { api });
    await userEvent.type(screen.getByLabelText('Account id'), '123');
    expect(await screen.findByText('12 digits')).toBeInTheDocument();
    await new Promise(r => setTimeout(r, 600));
    expect(api.listRequests).toHaveBeenLastCalledWith(
      expect.objectContaining({ accountId: undefined }),
    );
  });

  it('downloads the requests and activity CSVs', async () => {
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
      downloadRequestsCsv: jest.fn().mockResolvedValue(new Blob(['id\n'])),
      downloadActivityCsv: jest
        .fn()
        .mockResolvedValue(new Blob(['request_id\n'])),
    });
    await renderWith(<Audit />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Requests CSV' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Activity CSV' }));
    await waitFor(() => expect(api.downloadRequestsCsv).toHaveBeenCalled());
    expect(api.downloadActivityCsv).toHaveBeenCalled();
    expect(global.URL.createObjectURL).toHaveBeenCalledTimes(2);
  });

  it('downloads exactly what the list shows: the same filters, named in the file', async () => {
    const saved: string[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        saved.push(this.download);
      });
    const api = mockApi({
      listRequests: jest.fn().mockResolvedValue({ items: [] }),
      downloadRequestsCsv: jest.fn().mockResolvedValue(new Blob(['id\n'])),
      downloadActivityCsv: jest
        .fn()
        .mockResolvedValue(new Blob(['request_id\n'])),
    });
    await renderWith(<Audit />, { api });
    await userEvent.type(screen.getByLabelText('Requester'), 'erin');
    await userEvent.type(screen.getByLabelText('Account id'), '111111111111');
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
            requester: 'erin',
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
      requester: 'erin',
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
    click.mockRestore();
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
    await renderWith(<Audit />, { api });
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
