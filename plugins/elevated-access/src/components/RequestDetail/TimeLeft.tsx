import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Typography } from '@material-ui/core';
import { useNow } from '../../hooks/useNow';
import { provisioningState, relative } from '../common/format';
import { PortalButton } from '../common/PortalButton';

/** Time left of active access, or when scheduled access starts, live. */
export const TimeLeft = (props: {
  request: AccessRequest;
  portalUrl?: string;
}) => {
  const r = props.request;
  const now = useNow(15_000);
  let text: string | undefined;
  if (r.status === 'active') text = `Ends ${relative(r.endTime, now)}`;
  else if (r.status === 'approved') {
    text = `Starts ${relative(r.startTime, now)}`;
  } else text = provisioningState(r);
  if (!text) return null;
  return (
    <div style={{ marginBottom: 16 }}>
      <Typography variant="h6" component="p" data-testid="time-left">
        {text}
      </Typography>
      {r.status === 'active' && props.portalUrl && (
        <PortalButton href={props.portalUrl} style={{ marginTop: 8 }} />
      )}
    </div>
  );
};
