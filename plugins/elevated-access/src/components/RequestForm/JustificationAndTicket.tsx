import { Link } from '@backstage/core-components';
import {
  JUSTIFICATION_LIMITS,
  SettingsResponse,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Grid, TextField } from '@material-ui/core';
import { SetField } from './requestFormState';
import { ticketHelp } from './validateRequest';

/** Why access is needed, with a character count near the limit. */
export function JustificationField(props: {
  value: string;
  set: SetField;
  /** The trimmed justification's length. */
  length: number;
  tooLong: string | undefined;
  error: string | undefined;
}) {
  const { value, set, length, tooLong, error } = props;
  return (
    <Grid item xs={12}>
      {/* no maxLength: pasted text over the limit is flagged, never cut */}
      <TextField
        id="request-justification"
        label="Justification"
        variant="outlined"
        multiline
        minRows={3}
        fullWidth
        required
        value={value}
        onChange={e => set('justification', e.target.value)}
        inputProps={{ 'aria-label': 'Justification' }}
        error={!!(error ?? tooLong)}
        helperText={
          error ??
          tooLong ??
          (length > JUSTIFICATION_LIMITS.max * 0.8
            ? `${length.toLocaleString(
                'en-US',
              )} of ${JUSTIFICATION_LIMITS.max.toLocaleString(
                'en-US',
              )} characters`
            : 'What you need to do and why')
        }
        FormHelperTextProps={
          {
            // the counter is read out as it changes near the limit
            'aria-live': 'polite',
          } as object
        }
      />
    </Grid>
  );
}

/** The ticket id, and a link to open it where the ticket system has one. */
export function TicketField(props: {
  value: string;
  set: SetField;
  required: boolean | undefined;
  settings: Pick<SettingsResponse, 'ticketPattern' | 'ticketExample'>;
  openTicket: string | undefined;
  error: string | undefined;
}) {
  const { value, set, required, settings, openTicket, error } = props;
  return (
    <>
      <Grid item xs={12} sm={6}>
        <TextField
          id="request-ticket"
          label="Ticket"
          variant="outlined"
          fullWidth
          required={required}
          value={value}
          onChange={e => set('ticketId', e.target.value)}
          inputProps={{ maxLength: 64, 'aria-label': 'Ticket' }}
          error={!!error}
          helperText={error ?? ticketHelp(settings)}
        />
      </Grid>
      {openTicket && (
        <Grid item xs={12} sm={6} style={{ alignSelf: 'center' }}>
          <Link to={openTicket} data-testid="open-ticket">
            Open ticket {value.trim()}
          </Link>
        </Grid>
      )}
    </>
  );
}
