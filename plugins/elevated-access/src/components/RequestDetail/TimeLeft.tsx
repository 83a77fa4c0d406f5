import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Button, Typography } from '@material-ui/core';
import OpenInNewIcon from '@material-ui/icons/OpenInNew';
import { useNow } from '../../hooks/useNow';
import { provisioningState, relative } from '../common/format';

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
        <Button
          variant="contained"
          color="primary"
          href={props.portalUrl}
          target="_blank"
          rel="noreferrer"
          endIcon={<OpenInNewIcon />}
          style={{ marginTop: 8 }}
        >
          Open AWS access portal
        </Button>
      )}
    </div>
  );
};
