import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AuditInsights,
  InsightsBucket,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  Grid,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { DateTime } from 'luxon';
import { ReactElement, ReactNode } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { ErrorState } from '../common/ErrorState';
import { AuditFilterBar } from './AuditFilterBar';
import { AuditFilterKey, useAuditFilters } from './filters';
import {
  chartData,
  ChartSeries,
  formatShare,
  InsightsGroup,
  totalsOf,
} from './insightsData';

/** Distinguishable on light and dark themes. */
const COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
];

const CHART_HEIGHT = 300;

const KEYS: AuditFilterKey[] = ['per', 'bucket', 'from', 'to'];

const GROUP_LABEL: Record<InsightsGroup, string> = {
  account: 'account',
  permissionSet: 'permission set',
};

const ChartCard = ({
  title,
  subheader,
  children,
}: {
  title: string;
  subheader?: string;
  children: ReactElement;
}) => (
  <InfoCard title={title} subheader={subheader}>
    <div style={{ width: '100%', height: CHART_HEIGHT }}>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        {children}
      </ResponsiveContainer>
    </div>
  </InfoCard>
);

const colorOf = (i: number) => COLORS[i % COLORS.length];

function TimeSeries({
  insights,
  group,
}: {
  insights: AuditInsights;
  group: InsightsGroup;
}) {
  const grants = chartData(insights, group, 'grants');
  const hours = chartData(insights, group, 'grantedHours');
  const axes = (
    <>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="bucket" />
      <YAxis allowDecimals={false} />
      <Tooltip />
      <Legend />
    </>
  );
  const bars = (series: ChartSeries[]) =>
    series.map((s, i) => (
      <Bar
        key={s.key}
        dataKey={s.key}
        name={s.label}
        stackId="grants"
        fill={colorOf(i)}
        isAnimationActive={false}
      />
    ));
  const areas = (series: ChartSeries[]) =>
    series.map((s, i) => (
      <Area
        key={s.key}
        dataKey={s.key}
        name={s.label}
        stackId="hours"
        type="monotone"
        stroke={colorOf(i)}
        fill={colorOf(i)}
        isAnimationActive={false}
      />
    ));
  return (
    <>
      <Grid item xs={12} lg={6}>
        <ChartCard title={`Grants per ${GROUP_LABEL[group]}`}>
          <BarChart data={grants.rows}>
            {axes}
            {bars(grants.series)}
          </BarChart>
        </ChartCard>
      </Grid>
      <Grid item xs={12} lg={6}>
        <ChartCard
          title={`Granted hours per ${GROUP_LABEL[group]}`}
          subheader="From each grant to its end (or scheduled end)"
        >
          <AreaChart data={hours.rows}>
            {axes}
            {areas(hours.series)}
          </AreaChart>
        </ChartCard>
      </Grid>
    </>
  );
}

function UnusedShare({ insights }: { insights: AuditInsights }) {
  const rows = insights.permissionSets
    .filter(p => p.shareUnused !== null)
    .map(p => ({
      name: p.permissionSetName,
      unused: Math.round((p.shareUnused ?? 0) * 100),
    }));
  if (!rows.length) {
    return (
      <InfoCard title="Unused share per permission set">
        <Typography>
          No grant in this period has finished collecting its activity yet.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <ChartCard
      title="Unused share per permission set"
      subheader="Grants whose session made no event but console sign-in or GetCallerIdentity, of those with complete activity"
    >
      <BarChart data={rows} layout="vertical" margin={{ left: 40, right: 40 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" domain={[0, 100]} unit="%" />
        <YAxis type="category" dataKey="name" width={160} />
        <Tooltip />
        <Bar
          dataKey="unused"
          name="Unused"
          unit="%"
          fill={COLORS[3]}
          // a sliver for 0%, so its label shows too
          minPointSize={2}
          isAnimationActive={false}
        >
          <LabelList
            dataKey="unused"
            position="right"
            formatter={v => `${v}%`}
          />
        </Bar>
      </BarChart>
    </ChartCard>
  );
}

/** The same figures as a table: readable without the charts, and exact. */
function Totals({
  insights,
  group,
}: {
  insights: AuditInsights;
  group: InsightsGroup;
}) {
  const totals = totalsOf(
    group === 'account' ? insights.byAccount : insights.byPermissionSet,
  );
  const sources = new Map(
    insights.permissionSets.map(p => [p.permissionSetArn, p.topEventSources]),
  );
  return (
    <InfoCard title={`Totals per ${GROUP_LABEL[group]}`} noPadding>
      <div
        style={{ overflowX: 'auto' }}
        // scrolls sideways on a phone: reachable with the keyboard too
        // (axe's scrollable-region-focusable asks for exactly this)
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
        role="region"
        aria-label={`Totals per ${GROUP_LABEL[group]}, table`}
      >
        <Table size="small" aria-label={`Totals per ${GROUP_LABEL[group]}`}>
          <TableHead>
            <TableRow>
              <TableCell>
                {group === 'account' ? 'Account' : 'Permission set'}
              </TableCell>
              <TableCell align="right">Grants</TableCell>
              <TableCell align="right">Granted hours</TableCell>
              <TableCell align="right">Unused</TableCell>
              {group === 'permissionSet' && (
                <TableCell>Top event sources used</TableCell>
              )}
            </TableRow>
          </TableHead>
          <TableBody>
            {totals.map(t => (
              <TableRow key={t.key}>
                <TableCell>
                  {t.label}
                  {group === 'account' && (
                    <Typography variant="caption" display="block">
                      {t.key}
                    </Typography>
                  )}
                </TableCell>
                <TableCell align="right">{t.grants}</TableCell>
                <TableCell align="right">{t.grantedHours}</TableCell>
                <TableCell align="right">
                  {t.assessed
                    ? `${formatShare(t.unused / t.assessed)} (${t.unused} of ${
                        t.assessed
                      })`
                    : '–'}
                </TableCell>
                {group === 'permissionSet' && (
                  <TableCell>
                    {(sources.get(t.key) ?? [])
                      .map(
                        s =>
                          `${s.eventSource} (${s.grants} grant${
                            s.grants === 1 ? '' : 's'
                          }, ${s.events} event${s.events === 1 ? '' : 's'})`,
                      )
                      .join(', ') || '–'}
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </InfoCard>
  );
}

/**
 * Grants and granted hours per account and permission set over time, the
 * share of grants never used and the event sources sessions did use, so
 * admins can right-size permission sets (auditors and admins).
 */
export const Insights = () => {
  const api = useApi(elevatedAccessApiRef);
  const filters = useAuditFilters(KEYS);
  const group: InsightsGroup = filters.filters.per ?? 'account';
  const bucket: InsightsBucket = filters.filters.bucket ?? 'week';
  const { from, to } = filters.range;
  const state = useAsyncRetry(
    () => api.getInsights({ from, to, bucket }),
    [api, from, to, bucket],
  );
  const insights = state.value;

  let body: ReactNode;
  if (state.error) {
    body = (
      <ErrorState
        error={state.error}
        action="load the insights"
        onRetry={state.retry}
      />
    );
  } else if (!insights) {
    body = <Progress />;
  } else if (!insights.totals.grants) {
    body = (
      <EmptyState
        missing="data"
        title="No grants in this period"
        description="Access granted in the chosen period shows here: grants and hours per account and permission set, and how much of it was used."
      />
    );
  } else {
    const t = insights.totals;
    body = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <Typography role="note" aria-label="Summary">
            {t.grants} grant{t.grants === 1 ? '' : 's'}, {t.grantedHours}{' '}
            granted hours; unused: {formatShare(t.shareUnused)}
            {t.assessed
              ? ` (${t.unused} of ${t.assessed} with complete activity)`
              : ''}
            . Periods run from{' '}
            {DateTime.fromISO(insights.from, { zone: 'utc' }).toISODate()} to{' '}
            {DateTime.fromISO(insights.to, { zone: 'utc' })
              .minus({ days: 1 })
              .toISODate()}{' '}
            (UTC{insights.bucket === 'week' ? ', weeks from Monday' : ''}).
          </Typography>
        </Grid>
        <TimeSeries insights={insights} group={group} />
        <Grid item xs={12} lg={6}>
          <UnusedShare insights={insights} />
        </Grid>
        <Grid item xs={12} lg={6}>
          <Totals insights={insights} group="permissionSet" />
        </Grid>
        {group === 'account' && (
          <Grid item xs={12}>
            <Totals insights={insights} group="account" />
          </Grid>
        )}
      </Grid>
    );
  }

  return (
    <>
      <AuditFilterBar keys={KEYS} state={filters} />
      {body}
    </>
  );
};
