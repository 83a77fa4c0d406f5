import { useApi } from '@backstage/core-plugin-api';
import {
  csvExportFilename,
  plural,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Button } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  elevatedAccessApiRef,
  RequestExportFilters,
} from '../../api/ElevatedAccessApi';
import { DownloadButton } from '../common/download';
import { ErrorState } from '../common/ErrorState';
import { RequestsTable } from '../common/RequestsTable';
import { usePagedRequests } from '../common/usePagedRequests';
import { AuditFilterBar, NothingMatches } from './AuditFilterBar';
import { AuditFilterKey, useAuditFilters } from './filters';

/** How many break-glass requests the banner counts at most. */
const BANNER_LIMIT = 100;

/**
 * "2 break-glass requests await review", with a button that shows them;
 * nothing when none does.
 */
const AwaitingReviewBanner = (props: {
  applied: boolean;
  onShow: () => void;
}) => {
  const awaiting = usePagedRequests({
    view: 'all',
    review: 'awaiting',
    limit: BANNER_LIMIT,
  });
  const count = awaiting.items.filter(r => r.awaitingReview).length;
  if (!count) return null;
  const more = Boolean(awaiting.loadMore);
  const text = more
    ? `${count} or more break-glass requests await review`
    : `${plural(count, 'break-glass request')} ${
        count === 1 ? 'awaits' : 'await'
      } review`;
  return (
    <Alert
      severity="warning"
      data-testid="awaiting-review-banner"
      style={{ marginBottom: 16 }}
      action={
        props.applied ? undefined : (
          <Button color="inherit" size="small" onClick={props.onShow}>
            Show them
          </Button>
        )
      }
    >
      {text}
      {props.applied ? ': shown below.' : ''}
    </Alert>
  );
};

const KEYS: AuditFilterKey[] = [
  'requester',
  'account',
  'status',
  'used',
  'breakGlass',
  'review',
  'from',
  'to',
];

/**
 * Every request, filtered, with CSV exports (auditors and admins). The
 * filters live in the address, so the way back from a request keeps them.
 */
export const Audit = () => {
  const api = useApi(elevatedAccessApiRef);
  const state = useAuditFilters(KEYS);
  const { filters, range } = state;
  // the list and both exports take exactly these filters (exports = screen)
  const exported: RequestExportFilters = {
    status: filters.status.length ? filters.status : undefined,
    accountId: filters.account,
    requester: filters.requester,
    from: range.from,
    to: range.to,
    used: filters.used === undefined ? undefined : filters.used === 'true',
    breakGlass: filters.breakGlass ? true : undefined,
    review: filters.review,
  };
  const list = usePagedRequests({ view: 'all', ...exported });
  // the file names the filters as the page shows them (days in the user's zone)
  const shown = {
    ...exported,
    from: range.from && filters.from,
    to: range.to && filters.to,
  };

  return (
    <>
      <AwaitingReviewBanner
        applied={filters.review === 'awaiting'}
        onShow={() =>
          state.setMany({ breakGlass: undefined, review: 'awaiting' })
        }
      />
      <AuditFilterBar
        keys={KEYS}
        state={state}
        actions={
          <>
            <DownloadButton
              label="Requests CSV"
              filename={csvExportFilename('requests', shown)}
              fetch={options => api.downloadRequestsCsv(exported, options)}
            />
            <DownloadButton
              label="Activity CSV"
              filename={csvExportFilename('activity', shown)}
              fetch={options => api.downloadActivityCsv(exported, options)}
            />
          </>
        }
      />
      {list.error ? (
        <ErrorState
          error={list.error}
          action="load the requests"
          onRetry={list.refresh}
        />
      ) : (
        <RequestsTable
          title="All requests"
          showRequester
          showDecidedBy
          page={list}
          emptyContent={
            <NothingMatches what="request" filtered={state.filtered} />
          }
        />
      )}
    </>
  );
};
