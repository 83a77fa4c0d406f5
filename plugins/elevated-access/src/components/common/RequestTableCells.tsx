import { Link } from '@backstage/core-components';
import {
  AccessRequest,
  formatMinutes,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Typography } from '@material-ui/core';
import { DateTime } from 'luxon';
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

/** The status, with what is pending on the request and what went wrong. */
export function StatusCell(props: { request: AccessRequest; now: string }) {
  const { request: r, now } = props;
  const classes = useRequestsTableStyles();
  return (
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
