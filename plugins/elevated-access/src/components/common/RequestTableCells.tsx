import { Link } from '@backstage/core-components';
import {
  AccessRequest,
  formatMinutes,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Typography } from '@material-ui/core';
import { DateTime } from 'luxon';
import { ReactNode } from 'react';
import { BreakGlassChip } from './BreakGlassChip';
import { formatWhen, provisioningState, relative, shortRef } from './format';
import { useRequestLink } from './requestLink';
import { useRequestsTableStyles } from './requestsTableStyles';
import { StatusChip } from './StatusChip';

/** "Nov 21, 10:00 AM" this year, with the year otherwise; in the reader's zone. */
export function formatShort(iso: string, nowIso: string): string {
  const when = DateTime.fromISO(iso).toLocal();
  const sameYear = when.year === DateTime.fromISO(nowIso).toLocal().year;
  return when.toLocaleString(
    sameYear
      ? { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }
      : DateTime.DATETIME_MED,
  );
}

/** The permission set and account (with the requester first in the inbox). */
export function AccessCell(props: {
  request: AccessRequest;
  withRequester?: boolean;
}) {
  const { request: r, withRequester } = props;
  const classes = useRequestsTableStyles();
  const requestLink = useRequestLink();
  return (
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
}

/** When access starts and ends. */
export function WindowCell(props: { request: AccessRequest }) {
  const { request: r } = props;
  const classes = useRequestsTableStyles();
  return (
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
}

/** The inbox's "When": how long, and from when. */
export function WhenCell(props: { request: AccessRequest; now: string }) {
  const { request: r, now } = props;
  const classes = useRequestsTableStyles();
  return (
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
}

/** The inbox's "Waiting": since when it was asked, and when it expires. */
export function WaitingCell(props: { request: AccessRequest; now: string }) {
  const { request: r, now } = props;
  const classes = useRequestsTableStyles();
  return (
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
}

/** A line under a cell's main text, kept whole; in red for a problem. */
function CellNote(props: {
  children: ReactNode;
  problem?: boolean;
  testId?: string;
}) {
  const classes = useRequestsTableStyles();
  return (
    <Typography
      variant="caption"
      display="block"
      className={props.problem ? classes.errorText : classes.nowrap}
      data-testid={props.testId}
    >
      {props.children}
    </Typography>
  );
}

/** The status, with what is pending on the request and what went wrong. */
export function StatusCell(props: { request: AccessRequest; now: string }) {
  const { request: r, now } = props;
  return (
    <>
      <StatusChip status={r.status} />
      {r.breakGlass && (
        <div style={{ marginTop: 4 }}>
          <BreakGlassChip />
        </div>
      )}
      {r.awaitingReview && <CellNote>awaits review</CellNote>}
      {r.pendingExtensionId && (
        <CellNote testId={`extension-requested-${r.id}`}>
          extension requested
        </CellNote>
      )}
      {r.status === 'active' && (
        <CellNote>ends {relative(r.endTime, now)}</CellNote>
      )}
      {r.status === 'pending' && r.expiresAt && (
        <CellNote>expires {relative(r.expiresAt, now)}</CellNote>
      )}
      {r.status === 'revoking' && r.errorReason && (
        <CellNote problem>{provisioningState(r)}</CellNote>
      )}
      {r.status === 'error' && r.errorReason && (
        <CellNote problem>{r.errorReason}</CellNote>
      )}
    </>
  );
}

/** Who approved or rejected the request, or a dash. */
export function DecidedByCell(props: { request: AccessRequest }) {
  const { request: r } = props;
  const classes = useRequestsTableStyles();
  if (!r.decidedBy?.length) return <>—</>;
  return (
    <>
      {r.decidedBy.map(d => (
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
      ))}
    </>
  );
}
