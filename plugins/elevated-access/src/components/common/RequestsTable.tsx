import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  Button,
  LinearProgress,
  Paper,
  Typography,
  useMediaQuery,
  useTheme,
} from '@material-ui/core';
import { ReactNode, useState } from 'react';
import { useNow } from '../../hooks/useNow';
import { ErrorState } from './ErrorState';
import { ActionDialogHost, useHasActionDialogHost } from './RequestActions';
import {
  RequestCards,
  RequestRowsProps,
  RequestRowsTable,
} from './RequestRows';
import { useRequestsTableStyles } from './requestsTableStyles';
import { rowSelection } from './rowSelection';
import { PagedRequests } from './usePagedRequests';

let tables = 0;

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
  const classes = useRequestsTableStyles();
  const theme = useTheme();
  const phone = useMediaQuery(theme.breakpoints.down('xs'));
  const hasHost = useHasActionDialogHost();
  const now = useNow();
  const [headingId] = useState(() => {
    tables += 1;
    return `requests-table-${tables}`;
  });
  const { page, onSelect } = props;
  // live reloads keep the list (or its empty message) on screen
  const firstLoad = page.loading && !page.loaded;
  const rows: RequestRowsProps = {
    items: page.items,
    headingId,
    showRequester: props.showRequester,
    showDecidedBy: props.showDecidedBy,
    inbox: props.inbox,
    showActions: page.items.some(
      r =>
        r.capabilities.canApprove ||
        r.capabilities.canReject ||
        r.capabilities.canCancel ||
        r.capabilities.canRevoke ||
        r.status === 'error',
    ),
    onChanged: props.onChanged ?? page.refresh,
    selectable: Boolean(onSelect),
    selectedId: props.selectedId,
    selection: rowSelection(page.items, onSelect),
    now,
  };

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
      {!page.error &&
        page.items.length > 0 &&
        (phone ? <RequestCards {...rows} /> : <RequestRowsTable {...rows} />)}
      {page.loadMore && (
        <Button onClick={page.loadMore} style={{ marginTop: 8 }}>
          Load more
        </Button>
      )}
    </Paper>
  );
  return hasHost ? content : <ActionDialogHost>{content}</ActionDialogHost>;
};
