import { Link } from '@backstage/core-components';
import {
  AccessRequest,
  formatMinutes,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  Button,
  LinearProgress,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  useMediaQuery,
  useTheme,
} from '@material-ui/core';
import { darken, lighten, makeStyles, Theme } from '@material-ui/core/styles';
import { DateTime } from 'luxon';
import { KeyboardEvent, ReactNode, useState } from 'react';
import { useNow } from '../../hooks/useNow';
import { ErrorState } from './ErrorState';
import { formatWhen, provisioningState, relative, shortRef } from './format';
import {
  ActionDialogHost,
  RequestActions,
  useHasActionDialogHost,
} from './RequestActions';
import { useRequestLink } from './requestLink';
import { StatusChip } from './StatusChip';
import { BreakGlassChip } from './BreakGlassChip';
import { PagedRequests } from './usePagedRequests';

/** Text that reads well on white, on the selected row's tint and in dark mode. */
const subtle = (theme: Theme) =>
  theme.palette.type === 'dark' ? theme.palette.grey[300] : '#424242';

const useStyles = makeStyles(theme => ({
  paper: { padding: theme.spacing(2) },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  actionsBar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  scroll: { overflowX: 'auto' },
  table: {
    '& th': { whiteSpace: 'nowrap', fontWeight: 600 },
    '& td, & th': {
      // never break a word or an account id in the middle
      wordBreak: 'normal',
      overflowWrap: 'normal',
      verticalAlign: 'top',
      paddingLeft: theme.spacing(1),
      paddingRight: theme.spacing(1),
    },
  },
  /** The actions stay in view when a narrow window scrolls the table. */
  actionsCell: {
    whiteSpace: 'nowrap',
    position: 'sticky',
    right: 0,
    // the row's own background (striped or chosen), never see-through
    backgroundColor: 'inherit',
  },
  bodyRow: { backgroundColor: theme.palette.background.paper },
  nowrap: { whiteSpace: 'nowrap' },
  subtle: { color: subtle(theme) },
  errorText: {
    color:
      theme.palette.type === 'dark'
        ? theme.palette.error.light
        : theme.palette.error.dark,
  },
  row: {
    cursor: 'pointer',
    '&:focus': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: -2,
    },
  },
  selected: {
    '& td': {
      backgroundColor:
        theme.palette.type === 'dark'
          ? darken(theme.palette.primary.main, 0.7)
          : lighten(theme.palette.primary.main, 0.9),
    },
    '& td:first-child': {
      boxShadow: `inset 4px 0 0 ${theme.palette.primary.main}`,
    },
  },
  cards: { listStyle: 'none', margin: 0, padding: 0 },
  card: {
    padding: theme.spacing(1.5),
    marginBottom: theme.spacing(1),
    overflowWrap: 'anywhere',
    '&:focus': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
  cardSelected: {
    borderColor: theme.palette.primary.main,
    boxShadow: `inset 4px 0 0 ${theme.palette.primary.main}`,
  },
  cardTop: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
  },
  cardActions: { marginTop: theme.spacing(1) },
}));

let tables = 0;

/** "Nov 21, 10:00 AM" this year, with the year otherwise; in the reader's zone. */
function formatShort(iso: string, nowIso: string): string {
  const when = DateTime.fromISO(iso).toLocal();
  const sameYear = when.year === DateTime.fromISO(nowIso).toLocal().year;
  return when.toLocaleString(
    sameYear
      ? { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }
      : DateTime.DATETIME_MED,
  );
}

/**
 * A list of requests, newest first, with each row's actions and a link to its
 * page. Lists are paged by the server: "Load more" fetches the next page.
 * A row's action dialog is held above the table (here, unless a page holds
 * them higher up), so a live refresh that re-renders the rows keeps it open.
 *
 * Compact rows on wide screens (nothing breaks mid-word, the actions column
 * always shows), a list of cards on phones. Rows that can be chosen
 * (`onSelect`) are reached with Tab, chosen with Enter or Space, moved
 * between with the arrow keys, and the chosen one is aria-selected.
 */
export const RequestsTable = (props: {
  title: string;
  page: PagedRequests;
  showRequester?: boolean;
  /** A column with who approved or rejected each request (audit views). */
  showDecidedBy?: boolean;
  /**
   * The approver's inbox: when and how long, and how long it has waited,
   * instead of the window and status.
   */
  inbox?: boolean;
  emptyContent: ReactNode;
  /** After an action on a row; the list's own refresh unless given. */
  onChanged?: () => void;
  actions?: ReactNode;
  /** Rows can be chosen (e.g. to show one request's details beside the list). */
  onSelect?: (request: AccessRequest) => void;
  selectedId?: string;
  /** What a failed load was, for its message; "load the requests" unless given. */
  loadAction?: string;
}) => {
  const classes = useStyles();
  const theme = useTheme();
  const phone = useMediaQuery(theme.breakpoints.down('xs'));
  const requestLink = useRequestLink();
  const hasHost = useHasActionDialogHost();
  const now = useNow();
  const [headingId] = useState(() => {
    tables += 1;
    return `requests-table-${tables}`;
  });
  const { page, onSelect, selectedId, inbox } = props;
  const onChanged = props.onChanged ?? page.refresh;
  // live reloads keep the list (or its empty message) on screen
  const firstLoad = page.loading && !page.loaded;
  const showActions = page.items.some(
    r =>
      r.capabilities.canApprove ||
      r.capabilities.canReject ||
      r.capabilities.canCancel ||
      r.capabilities.canRevoke ||
      r.status === 'error',
  );

  const what = (r: AccessRequest) =>
    `${r.permissionSetName} on ${r.accountName}`;

  const requested = (r: AccessRequest) => (
    <Link {...requestLink(r.id)} title={r.createdAt}>
      {formatWhen(r.createdAt)}
    </Link>
  );

  const access = (r: AccessRequest, withRequester = false) => (
    <>
      <Typography variant="body2" className={classes.nowrap}>
        {withRequester && (
          <>
            <Link {...requestLink(r.id)}>
              <strong>{shortRef(r.requesterRef)}</strong>
            </Link>
            {' · '}
          </>
        )}
        {r.permissionSetName}
      </Typography>
      <Typography
        variant="body2"
        className={`${classes.nowrap} ${classes.subtle}`}
      >
        {r.accountName} ({r.accountId})
      </Typography>
    </>
  );

  const windowCell = (r: AccessRequest) => (
    <>
      <Typography variant="body2" className={classes.nowrap}>
        {formatWhen(r.startTime)}
      </Typography>
      <Typography
        variant="caption"
        className={`${classes.nowrap} ${classes.subtle}`}
      >
        until {formatWhen(r.endTime)}
      </Typography>
    </>
  );

  const when = (r: AccessRequest) => (
    <>
      <Typography variant="body2" className={classes.nowrap}>
        {formatMinutes(r.durationMinutes)}
      </Typography>
      <Typography
        variant="caption"
        className={`${classes.nowrap} ${classes.subtle}`}
        title={formatWhen(r.startTime)}
      >
        from {formatShort(r.startTime, now)}
      </Typography>
    </>
  );

  const waiting = (r: AccessRequest) => (
    <>
      <Typography variant="body2" className={classes.nowrap}>
        <span title={r.createdAt}>asked {relative(r.createdAt, now)}</span>
      </Typography>
      {r.expiresAt && (
        <Typography
          variant="caption"
          display="block"
          className={`${classes.nowrap} ${classes.subtle}`}
        >
          expires {relative(r.expiresAt, now)}
        </Typography>
      )}
    </>
  );

  const status = (r: AccessRequest) => (
    <>
      <StatusChip status={r.status} />
      {r.breakGlass && (
        <div style={{ marginTop: 4 }}>
          <BreakGlassChip />
        </div>
      )}
      {r.awaitingReview && (
        <Typography
          variant="caption"
          display="block"
          className={classes.nowrap}
        >
          awaits review
        </Typography>
      )}
      {r.pendingExtensionId && (
        <Typography
          variant="caption"
          display="block"
          className={classes.nowrap}
          data-testid={`extension-requested-${r.id}`}
        >
          extension requested
        </Typography>
      )}
      {r.status === 'active' && (
        <Typography
          variant="caption"
          display="block"
          className={classes.nowrap}
        >
          ends {relative(r.endTime, now)}
        </Typography>
      )}
      {r.status === 'pending' && r.expiresAt && (
        <Typography
          variant="caption"
          display="block"
          className={classes.nowrap}
        >
          expires {relative(r.expiresAt, now)}
        </Typography>
      )}
      {r.status === 'revoking' && r.errorReason && (
        <Typography
          variant="caption"
          display="block"
          className={classes.errorText}
        >
          {provisioningState(r)}
        </Typography>
      )}
      {r.status === 'error' && r.errorReason && (
        <Typography
          variant="caption"
          display="block"
          className={classes.errorText}
        >
          {r.errorReason}
        </Typography>
      )}
    </>
  );

  const decidedBy = (r: AccessRequest) =>
    r.decidedBy?.length
      ? r.decidedBy.map(d => (
          <Typography
            key={`${d.approverRef}-${d.createdAt}`}
            variant="body2"
            title={d.createdAt}
            className={classes.nowrap}
          >
            {shortRef(d.approverRef)}{' '}
            <span className={classes.subtle}>
              ({d.decision === 'approve' ? 'approved' : 'rejected'})
            </span>
          </Typography>
        ))
      : '—';

  const actionsOf = (r: AccessRequest) => (
    <RequestActions request={r} onChanged={onChanged} />
  );

  /** Enter/Space choose a row; the arrow keys move to the next one and choose it. */
  const onRowKeyDown = (
    e: KeyboardEvent<HTMLElement>,
    r: AccessRequest,
    index: number,
  ) => {
    if (!onSelect || e.target !== e.currentTarget) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(r);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const next = page.items[index + (e.key === 'ArrowDown' ? 1 : -1)];
      if (!next) return;
      e.preventDefault();
      const sibling = (
        e.key === 'ArrowDown'
          ? e.currentTarget.nextElementSibling
          : e.currentTarget.previousElementSibling
      ) as HTMLElement | null;
      sibling?.focus();
      onSelect(next);
    }
  };

  const selectable = (r: AccessRequest, index: number) =>
    onSelect
      ? {
          tabIndex: 0,
          onClick: () => onSelect(r),
          onKeyDown: (e: KeyboardEvent<HTMLElement>) =>
            onRowKeyDown(e, r, index),
        }
      : {};

  const table = (
    <div className={classes.scroll}>
      <Table size="small" className={classes.table} aria-labelledby={headingId}>
        <TableHead>
          <TableRow>
            {inbox ? null : <TableCell>Requested</TableCell>}
            {props.showRequester && !inbox && <TableCell>Requester</TableCell>}
            <TableCell>{inbox ? 'Request' : 'Access'}</TableCell>
            {inbox ? (
              <>
                <TableCell>When</TableCell>
                <TableCell>Waiting</TableCell>
              </>
            ) : (
              <>
                <TableCell>Window</TableCell>
                <TableCell>Status</TableCell>
              </>
            )}
            {props.showDecidedBy && <TableCell>Decided by</TableCell>}
            {showActions && (
              <TableCell className={classes.actionsCell}>Actions</TableCell>
            )}
          </TableRow>
        </TableHead>
        <TableBody>
          {page.items.map((r, index) => {
            const isSelected = r.id === selectedId;
            return (
              <TableRow
                key={r.id}
                data-testid={`request-row-${r.id}`}
                aria-selected={onSelect ? isSelected : undefined}
                className={`${classes.bodyRow} ${onSelect ? classes.row : ''} ${
                  isSelected ? classes.selected : ''
                }`}
                {...selectable(r, index)}
              >
                {inbox ? null : <TableCell>{requested(r)}</TableCell>}
                {props.showRequester && !inbox && (
                  <TableCell className={classes.nowrap}>
                    {shortRef(r.requesterRef)}
                  </TableCell>
                )}
                <TableCell>{access(r, inbox)}</TableCell>
                {inbox ? (
                  <>
                    <TableCell>{when(r)}</TableCell>
                    <TableCell>{waiting(r)}</TableCell>
                  </>
                ) : (
                  <>
                    <TableCell>{windowCell(r)}</TableCell>
                    <TableCell>{status(r)}</TableCell>
                  </>
                )}
                {props.showDecidedBy && <TableCell>{decidedBy(r)}</TableCell>}
                {showActions && (
                  <TableCell className={classes.actionsCell}>
                    {actionsOf(r)}
                  </TableCell>
                )}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );

  const cards = (
    <ul className={classes.cards} aria-labelledby={headingId}>
      {page.items.map((r, index) => {
        const isSelected = r.id === selectedId;
        return (
          <Paper
            component="li"
            variant="outlined"
            key={r.id}
            data-testid={`request-card-${r.id}`}
            aria-current={onSelect && isSelected ? 'true' : undefined}
            className={`${classes.card} ${
              isSelected ? classes.cardSelected : ''
            }`}
            {...selectable(r, index)}
          >
            <div className={classes.cardTop}>
              <div>
                <Typography variant="subtitle2" component="p">
                  <Link {...requestLink(r.id)}>{what(r)}</Link>
                </Typography>
                <Typography variant="body2" className={classes.subtle}>
                  {props.showRequester && `${shortRef(r.requesterRef)} · `}
                  {r.accountName} ({r.accountId})
                </Typography>
              </div>
              {!inbox && (
                <div style={{ textAlign: 'right' }}>
                  <StatusChip status={r.status} />
                  {r.breakGlass && (
                    <div style={{ marginTop: 4 }}>
                      <BreakGlassChip />
                    </div>
                  )}
                </div>
              )}
            </div>
            {inbox ? (
              <>
                <Typography variant="body2">
                  {formatMinutes(r.durationMinutes)} from{' '}
                  {formatWhen(r.startTime)}
                </Typography>
                <Typography variant="body2" className={classes.subtle}>
                  asked {relative(r.createdAt, now)}
                  {r.expiresAt && ` · expires ${relative(r.expiresAt, now)}`}
                </Typography>
                <Typography
                  variant="body2"
                  style={{ whiteSpace: 'pre-wrap', marginTop: 4 }}
                >
                  {r.justification}
                </Typography>
              </>
            ) : (
              <>
                <Typography variant="body2">
                  {formatWhen(r.startTime)} until {formatWhen(r.endTime)}
                </Typography>
                {r.status === 'active' && (
                  <Typography variant="body2">
                    ends {relative(r.endTime, now)}
                  </Typography>
                )}
                {(r.status === 'revoking' || r.status === 'error') &&
                  r.errorReason && (
                    <Typography variant="body2" className={classes.errorText}>
                      {r.status === 'revoking'
                        ? provisioningState(r)
                        : r.errorReason}
                    </Typography>
                  )}
                {props.showDecidedBy && !!r.decidedBy?.length && (
                  <Typography variant="body2" className={classes.subtle}>
                    Decided by{' '}
                    {r.decidedBy
                      .map(
                        d =>
                          `${shortRef(d.approverRef)} (${
                            d.decision === 'approve' ? 'approved' : 'rejected'
                          })`,
                      )
                      .join(', ')}
                  </Typography>
                )}
              </>
            )}
            {showActions && (
              <div className={classes.cardActions}>{actionsOf(r)}</div>
            )}
          </Paper>
        );
      })}
    </ul>
  );

  const content = (
    <Paper className={classes.paper} data-testid="requests-table">
      <div className={classes.header}>
        <Typography variant="h6" component="h2" id={headingId}>
          {props.title}
        </Typography>
        {props.actions && (
          <div className={classes.actionsBar}>{props.actions}</div>
        )}
      </div>
      {firstLoad && <LinearProgress aria-label={`Loading ${props.title}`} />}
      {page.error && (
        <ErrorState
          error={page.error}
          action={props.loadAction ?? 'load the requests'}
          onRetry={page.refresh}
        />
      )}
      {!page.error && !firstLoad && page.items.length === 0 && (
        <div style={{ padding: 16 }}>{props.emptyContent}</div>
      )}
      {!page.error && page.items.length > 0 && (phone ? cards : table)}
      {page.loadMore && (
        <Button onClick={page.loadMore} style={{ marginTop: 8 }}>
          Load more
        </Button>
      )}
    </Paper>
  );
  return hasHost ? content : <ActionDialogHost>{content}</ActionDialogHost>;
};
