import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  ActivityEventDto,
  ActivityPage,
  csvExportFilename,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Button, Chip, TextField, Typography } from '@material-ui/core';
import { useCallback, useEffect, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { useLiveRefresh } from '../../hooks/useLiveRefresh';
import { DownloadButton } from '../common/download';
import { ErrorState } from '../common/ErrorState';
import { formatWhen } from '../common/format';

const columns: TableColumn<ActivityEventDto>[] = [
  {
    title: 'Time',
    field: 'eventTime',
    render: e => (
      <>
        {formatWhen(e.eventTime)}
        {e.afterEnd && (
          <Chip
            size="small"
            label="after access ended (session still valid)"
            style={{ marginLeft: 8 }}
          />
        )}
      </>
    ),
  },
  { title: 'Region', render: e => e.region ?? '—' },
  { title: 'Event', field: 'eventName' },
  { title: 'Source', field: 'eventSource' },
  { title: 'Resources', render: e => e.resources.join(', ') || '—' },
  { title: 'Source IP', field: 'sourceIpAddress' },
  {
    title: 'Access',
    render: e => {
      if (e.readOnly === undefined) return '—';
      return e.readOnly ? 'read' : 'write';
    },
  },
  {
    title: 'Error',
    // bold, not red: theme red on white is below 4.5:1
    render: e =>
      e.errorCode ? (
        <Typography variant="body2" style={{ fontWeight: 600 }}>
          {e.errorCode}
        </Typography>
      ) : (
        ''
      ),
  },
];

/** A session's CloudTrail activity, newest first, with search and CSV. */
export const ActivityLog = ({ requestId }: { requestId: string }) => {
  const api = useApi(elevatedAccessApiRef);
  const [query, setQuery] = useState('');
  const [q, setQ] = useState('');
  useDebounce(() => setQ(query.trim()), 300, [query]);
  const [page, setPage] = useState<ActivityPage>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);

  const load = useCallback(
    async (cursor?: string) => {
      setLoading(true);
      try {
        const next = await api.getActivity(requestId, {
          q: q || undefined,
          cursor,
        });
        setPage(previous =>
          cursor && previous
            ? { ...next, items: [...previous.items, ...next.items] }
            : next,
        );
        setError(undefined);
      } catch (e) {
        setError(e as Error);
      } finally {
        setLoading(false);
      }
    },
    [api, requestId, q],
  );
  useEffect(() => {
    load();
  }, [load]);
  useLiveRefresh(
    useCallback(() => load(), [load]),
    60_000,
  );

  return (
    <InfoCard
      title="Session activity"
      subheader="CloudTrail events of this access, kept by Elevated Access"
      action={
        page && (
          <Chip
            size="small"
            color={page.complete ? 'primary' : 'default'}
            label={page.complete ? 'Collection complete' : 'Collecting'}
            data-testid="activity-complete"
            style={{ marginTop: 16, marginRight: 16 }}
          />
        )
      }
    >
      <div
        style={{
          display: 'flex',
          flexWrap: 'wrap',
          gap: 16,
          marginBottom: 16,
          alignItems: 'center',
        }}
      >
        <TextField
          id={`activity-search-${requestId}`}
          label="Search activity"
          placeholder="Event, source or resource"
          variant="outlined"
          size="small"
          value={query}
          onChange={e => setQuery(e.target.value)}
          inputProps={{ maxLength: 200 }}
          style={{ flex: 1, minWidth: 200 }}
        />
        <DownloadButton
          label="Download CSV"
          filename={csvExportFilename('activity', {
            requestId,
            q: q || undefined,
          })}
          fetch={options =>
            // the events the search shows
            api.downloadActivityCsv({ requestId, q: q || undefined }, options)
          }
        />
      </div>
      {error && (
        <ErrorState
          error={error}
          action="load the session activity"
          onRetry={() => load()}
        />
      )}
      <Table<ActivityEventDto>
        columns={columns}
        data={page?.items ?? []}
        isLoading={loading}
        options={{
          paging: false,
          search: false,
          toolbar: false,
          padding: 'dense',
          sorting: false,
        }}
        emptyContent={
          <Typography style={{ padding: 16 }}>
            {q ? `No events match "${q}".` : 'No activity recorded yet.'}
          </Typography>
        }
      />
      {page?.nextCursor && (
        <Button onClick={() => load(page.nextCursor)} style={{ marginTop: 8 }}>
          Load more
        </Button>
      )}
      {page?.collectedUntil && (
        <Typography
          variant="caption"
          color="textSecondary"
          display="block"
          style={{ marginTop: 8 }}
        >
          Collected up to {formatWhen(page.collectedUntil)}
        </Typography>
      )}
    </InfoCard>
  );
};
