import { RequestStatus } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Chip } from '@material-ui/core';
import { makeStyles } from '@material-ui/core/styles';

const COLORS: Record<RequestStatus, string> = {
  pending: '#b26a00',
  approved: '#1565c0',
  granting: '#6a1b9a',
  active: '#2e7d32',
  revoking: '#6a1b9a',
  ended: '#546e7a',
  revoked: '#546e7a',
  rejected: '#c62828',
  cancelled: '#546e7a',
  expired: '#8d6e63',
  error: '#c62828',
};

const LABELS: Record<RequestStatus, string> = {
  pending: 'Pending',
  approved: 'Approved',
  granting: 'Granting',
  active: 'Active',
  revoking: 'Revoking',
  ended: 'Ended',
  revoked: 'Revoked',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  expired: 'Expired',
  error: 'Error',
};

const useStyles = makeStyles({
  chip: { color: '#fff', fontWeight: 500 },
});

/** A request's status as a coloured label. */
export const StatusChip = ({ status }: { status: RequestStatus }) => {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      className={classes.chip}
      style={{ backgroundColor: COLORS[status] }}
      label={LABELS[status]}
      data-testid={`status-${status}`}
    />
  );
};

export const statusLabel = (status: RequestStatus) => LABELS[status];
