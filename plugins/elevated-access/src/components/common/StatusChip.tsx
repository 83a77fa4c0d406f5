import { RequestStatus } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Chip } from '@material-ui/core';
import { makeStyles } from '@material-ui/core/styles';

/**
 * Chip backgrounds under white text: each at least 4.5:1 (WCAG AA for small
 * text), the same in light and dark themes (the chip carries its own colours).
 */
export const STATUS_COLORS: Record<RequestStatus, string> = {
  pending: '#8a5300', // 6.3:1 (was #b26a00, 4.2:1)
  approved: '#1565c0', // 5.8:1
  granting: '#6a1b9a', // 9.4:1
  active: '#2e7d32', // 5.1:1
  revoking: '#6a1b9a', // 9.4:1
  ended: '#546e7a', // 5.4:1
  revoked: '#546e7a', // 5.4:1
  rejected: '#c62828', // 5.6:1
  cancelled: '#546e7a', // 5.4:1
  expired: '#6d4c41', // 7.6:1 (was #8d6e63, 4.6:1)
  error: '#c62828', // 5.6:1
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
  chip: { color: '#ffffff', fontWeight: 500 },
});

/** A request's status as a coloured label. */
export const StatusChip = ({ status }: { status: RequestStatus }) => {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      className={classes.chip}
      style={{ backgroundColor: STATUS_COLORS[status] }}
      label={LABELS[status]}
      data-testid={`status-${status}`}
    />
  );
};

export const statusLabel = (status: RequestStatus) => LABELS[status];
