import { Link } from '@backstage/core-components';
import {
  AccessRequest,
  formatMinutes,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { BreakGlassChip } from './BreakGlassChip';
import { formatWhen, provisioningState, relative, shortRef } from './format';
import { RequestActions } from './RequestActions';
import { useRequestLink } from './requestLink';
import { useRequestsTableStyles } from './requestsTableStyles';
import {
  AccessCell,
  DecidedByCell,
  StatusCell,
  WaitingCell,
  WhenCell,
  WindowCell,
} from './RequestTableCells';
import { RowSelection } from './rowSelection';
import { StatusChip } from './StatusChip';

/** What the wide table and the phone cards both show of a list of requests. */
export interface RequestRowsProps {
  items: AccessRequest[];
  /** The id of the list's heading, which names the table or list. */
  headingId: string;
  showRequester?: boolean;
  showDecidedBy?: boolean;
  inbox?: boolean;
  /** Some row has an action: the actions column (or card part) shows. */
  showActions: boolean;
  /** After an action on a row. */
  onChanged: () => void;
  /** Rows can be chosen: the chosen one is marked. */
  selectable: boolean;
  selectedId?: string;
  selection: RowSelection;
  now: string;
}

/** A list of requests as compact table rows, for wide screens. */
export function RequestRowsTable(props: RequestRowsProps) {
  const { items, headingId, inbox, showActions, selectedId, now } = props;
  const classes = useRequestsTableStyles();
  const requestLink = useRequestLink();
  return (
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
          {items.map((r, index) => {
            const isSelected = r.id === selectedId;
            return (
              <TableRow
                key={r.id}
                data-testid={`request-row-${r.id}`}
                aria-selected={props.selectable ? isSelected : undefined}
                className={`${classes.bodyRow} ${
                  props.selectable ? classes.row : ''
                } ${isSelected ? classes.selected : ''}`}
                {...props.selection(r, index)}
              >
                {inbox ? null : (
                  <TableCell>
                    <Link {...requestLink(r.id)} title={r.createdAt}>
                      {formatWhen(r.createdAt)}
                    </Link>
                  </TableCell>
                )}
                {props.showRequester && !inbox && (
                  <TableCell className={classes.nowrap}>
                    {shortRef(r.requesterRef)}
                  </TableCell>
                )}
                <TableCell>
                  <AccessCell request={r} withRequester={inbox} />
                </TableCell>
                {inbox ? (
                  <>
                    <TableCell>
                      <WhenCell request={r} now={now} />
                    </TableCell>
                    <TableCell>
                      <WaitingCell request={r} now={now} />
                    </TableCell>
                  </>
                ) : (
                  <>
                    <TableCell>
                      <WindowCell request={r} />
                    </TableCell>
                    <TableCell>
                      <StatusCell request={r} now={now} />
                    </TableCell>
                  </>
                )}
                {props.showDecidedBy && (
                  <TableCell>
                    <DecidedByCell request={r} />
                  </TableCell>
                )}
                {showActions && (
                  <TableCell className={classes.actionsCell}>
                    <RequestActions request={r} onChanged={props.onChanged} />
                  </TableCell>
                )}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}

/** A list of requests as cards, for phones. */
export function RequestCards(props: RequestRowsProps) {
  const { items, headingId, inbox, showActions, selectedId, now } = props;
  const classes = useRequestsTableStyles();
  const requestLink = useRequestLink();
  return (
    <ul className={classes.cards} aria-labelledby={headingId}>
      {items.map((r, index) => {
        const isSelected = r.id === selectedId;
        return (
          <Paper
            component="li"
            variant="outlined"
            key={r.id}
            data-testid={`request-card-${r.id}`}
            aria-current={props.selectable && isSelected ? 'true' : undefined}
            className={`${classes.card} ${
              isSelected ? classes.cardSelected : ''
            }`}
            {...props.selection(r, index)}
          >
            <div className={classes.cardTop}>
              <div>
                <Typography variant="subtitle2" component="p">
                  <Link {...requestLink(r.id)}>
                    {`${r.permissionSetName} on ${r.accountName}`}
                  </Link>
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
              <div className={classes.cardActions}>
                <RequestActions request={r} onChanged={props.onChanged} />
              </div>
            )}
          </Paper>
        );
      })}
    </ul>
  );
}
