import { AuditInsights } from '@elevated-access/backstage-plugin-elevated-access-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cloneElement, ReactElement } from 'react';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { Insights } from './Insights';
import { currentQuery, LocationProbe, noGrants } from './__testUtils__/audit';

// jsdom has no layout: give the charts a fixed size instead of measuring
jest.mock('recharts', () => {
  const actual = jest.requireActual('recharts');
  return {
    ...actual,
    ResponsiveContainer: ({ children }: { children: ReactElement<any> }) => (
      <div style={{ width: 800, height: 300 }}>
        {cloneElement(children, { width: 800, height: 300 })}
      </div>
    ),
  };
});

const PU =
  'arn:aws:sso:::permissionSet/ssoins-0000000000000001/ps-0000000000000002';
const RO =
  'arn:aws:sso:::permissionSet/ssoins-0000000000000001/ps-0000000000000001';
const W1 = '2026-11-23T00:00:00.000Z';
const W2 = '2026-11-30T00:00:00.000Z';

const insights: AuditInsights = {
  from: W1,
  to: '2026-12-07T00:00:00.000Z',
  bucket: 'week',
  buckets: [W1, W2],
  byAccount: [
    {
      bucketStart: W1,
      key: '111111111111',
      label: 'payments-prod',
      grants: 2,
      grantedHours: 1.5,
      assessed: 2,
      unused: 1,
    },
    {
      bucketStart: W2,
      key: '222222222222',
      label: 'data-prod',
      grants: 1,
      grantedHours: 2,
      assessed: 1,
      unused: 0,
    },
  ],
  byPermissionSet: [
    {
      bucketStart: W1,
      key: PU,
      label: 'PowerUserAccess',
      grants: 2,
      grantedHours: 1.5,
      assessed: 2,
      unused: 1,
    },
    {
      bucketStart: W2,
      key: RO,
      label: 'ReadOnlyAccess',
      grants: 1,
      grantedHours: 2,
      assessed: 1,
      unused: 0,
    },
  ],
  totals: {
    grants: 3,
    grantedHours: 3.5,
    assessed: 3,
    unused: 1,
    shareUnused: 1 / 3,
  },
  permissionSets: [
    {
      permissionSetArn: PU,
      permissionSetName: 'PowerUserAccess',
      grants: 2,
      grantedHours: 1.5,
      assessed: 2,
      unused: 1,
      shareUnused: 0.5,
      topEventSources: [
        { eventSource: 's3.amazonaws.com', events: 12, grants: 1 },
      ],
    },
    {
      permissionSetArn: RO,
      permissionSetName: 'ReadOnlyAccess',
      grants: 1,
      grantedHours: 2,
      assessed: 1,
      unused: 0,
      shareUnused: 0,
      topEventSources: [],
    },
  ],
};

describe('Insights', () => {
  it('draws grants and hours per account, the unused share and the tables', async () => {
    const api = mockApi({ getInsights: jest.fn().mockResolvedValue(insights) });
    const { container } = await renderWith(<Insights />, { api });
    expect(await screen.findByText('Grants per account')).toBeInTheDocument();
    expect(api.getInsights).toHaveBeenCalledWith({
      from: undefined,
      to: undefined,
      bucket: 'week',
    });
    expect(screen.getByText('Granted hours per account')).toBeInTheDocument();
    expect(screen.getByLabelText('Summary')).toHaveTextContent(
      '3 grants, 3.5 granted hours; unused: 33% (1 of 3 with complete activity)',
    );
    // the charts drew: bars, areas, legends and the share labels
    expect(
      container.querySelectorAll('.recharts-bar-rectangle').length,
    ).toBeGreaterThan(0);
    expect(container.querySelectorAll('.recharts-area').length).toBe(2);
    const legends = [
      ...container.querySelectorAll('.recharts-legend-item-text'),
    ].map(e => e.textContent);
    expect(legends).toEqual(
      expect.arrayContaining(['payments-prod', 'data-prod']),
    );
    const labels = [
      ...container.querySelectorAll('.recharts-label-list text'),
    ].map(e => e.textContent);
    expect(labels).toEqual(['50%', '0%']);
    expect(screen.getAllByText('w/c 23 Nov').length).toBeGreaterThan(0);

    // the table fallback holds the exact figures
    const sets = screen.getByRole('table', {
      name: 'Totals per permission set',
    });
    const row = within(sets).getByText('PowerUserAccess').closest('tr')!;
    expect(row).toHaveTextContent('50% (1 of 2)');
    expect(row).toHaveTextContent('s3.amazonaws.com (1 grant, 12 events)');
    const accounts = screen.getByRole('table', { name: 'Totals per account' });
    expect(
      within(accounts).getByText('data-prod').closest('tr'),
    ).toHaveTextContent('0% (0 of 1)');
  });

  it('groups per permission set and asks for days', async () => {
    const api = mockApi({ getInsights: jest.fn().mockResolvedValue(insights) });
    const { container } = await renderWith(<Insights />, { api });
    await screen.findByText('Grants per account');
    await userEvent.click(screen.getByLabelText('Per'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Permission set' }),
    );
    expect(
      await screen.findByText('Grants per permission set'),
    ).toBeInTheDocument();
    const legends = [
      ...container.querySelectorAll('.recharts-legend-item-text'),
    ].map(e => e.textContent);
    expect(legends).toEqual(
      expect.arrayContaining(['PowerUserAccess', 'ReadOnlyAccess']),
    );
    await userEvent.click(screen.getByLabelText('Bucket'));
    await userEvent.click(await screen.findByRole('option', { name: 'Day' }));
    await waitFor(() =>
      expect(api.getInsights).toHaveBeenLastCalledWith(
        expect.objectContaining({ bucket: 'day' }),
      ),
    );
  });

  it('says when no access was granted in the period', async () => {
    const api = mockApi({
      getInsights: jest.fn().mockResolvedValue({
        ...insights,
        byAccount: [],
        byPermissionSet: [],
        permissionSets: [],
        totals: noGrants,
      }),
    });
    await renderWith(<Insights />, { api });
    expect(
      await screen.findByText('No grants in this period'),
    ).toBeInTheDocument();
  });

  it('shows the server error', async () => {
    const api = mockApi({
      getInsights: jest
        .fn()
        .mockRejectedValue(
          new Error('Only auditors and admins can see access insights'),
        ),
    });
    await renderWith(<Insights />, { api });
    expect(
      (
        await screen.findAllByText(
          /Only auditors and admins can see access insights/,
        )
      ).length,
    ).toBeGreaterThan(0);
  });

  it('keeps its choices in the address and restores them from it', async () => {
    const api = mockApi({ getInsights: jest.fn().mockResolvedValue(insights) });
    await renderWith(
      <>
        <Insights />
        <LocationProbe />
      </>,
      {
        api,
        routeEntries: [
          '/elevated-access/insights?per=permissionSet&bucket=day&from=2026-11-01',
        ],
      },
    );
    expect(
      await screen.findByText('Grants per permission set'),
    ).toBeInTheDocument();
    expect(api.getInsights).toHaveBeenCalledTimes(1);
    expect(api.getInsights).toHaveBeenCalledWith({
      from: expect.stringMatching(/^2026-1[01]-/),
      to: undefined,
      bucket: 'day',
    });
    await userEvent.click(screen.getByLabelText('Bucket'));
    await userEvent.click(await screen.findByRole('option', { name: 'Week' }));
    await waitFor(() => expect(currentQuery().get('bucket')).toBe('week'));
    expect(currentQuery().get('per')).toBe('permissionSet');
    expect(api.getInsights).toHaveBeenLastCalledWith(
      expect.objectContaining({ bucket: 'week' }),
    );
  });

  it('offers Retry when loading failed', async () => {
    const api = mockApi({
      getInsights: jest
        .fn()
        .mockRejectedValueOnce(
          Object.assign(new Error('Request failed with 503'), {
            statusCode: 503,
          }),
        )
        .mockResolvedValue(insights),
    });
    await renderWith(<Insights />, { api });
    const error = await screen.findByTestId('error-state');
    expect(error).toHaveTextContent(
      "Couldn't load the insights: the Elevated Access service is unavailable at the moment (503).",
    );
    await userEvent.click(within(error).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Grants per account')).toBeInTheDocument();
  });
});
