import { formatMinutes } from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  Chip,
  FormControlLabel,
  Grid,
  Radio,
  RadioGroup,
  TextField,
  Typography,
} from '@material-ui/core';
import { DateTime } from 'luxon';
import { formatWhen, zoneLabel } from '../common/format';
import { DURATION_PRESETS, FormState, SetField } from './requestFormState';

/** When access starts: now, or at a chosen time (break-glass: now only). */
export function StartFields(props: {
  form: Pick<FormState, 'startMode' | 'startLocal'>;
  set: SetField;
  breakGlass: boolean;
  error: string | undefined;
}) {
  const { form, set, breakGlass, error } = props;
  return (
    <Grid item xs={12}>
      {breakGlass ? (
        <Typography variant="body2">Access starts now.</Typography>
      ) : (
        <RadioGroup
          row
          aria-label="When access starts"
          value={form.startMode}
          onChange={e => set('startMode', e.target.value as 'now' | 'later')}
        >
          <FormControlLabel value="now" control={<Radio />} label="Start now" />
          <FormControlLabel
            value="later"
            control={<Radio />}
            label="Start later"
          />
        </RadioGroup>
      )}
      {form.startMode === 'later' && !breakGlass && (
        <TextField
          id="request-start"
          type="datetime-local"
          label="Start time"
          variant="outlined"
          value={form.startLocal}
          onChange={e => set('startLocal', e.target.value)}
          InputLabelProps={{ shrink: true }}
          error={!!error}
          helperText={error ?? `Your time zone: ${zoneLabel()}`}
        />
      )}
      {(form.startMode === 'now' || breakGlass) && error && (
        <Typography color="error" variant="caption">
          {error}
        </Typography>
      )}
    </Grid>
  );
}

/** How long access lasts: preset chips up to the cap, or any number of minutes. */
export function DurationField(props: {
  durationMinutes: string;
  set: SetField;
  cap: number | undefined;
  end: DateTime | undefined;
  error: string | undefined;
}) {
  const { durationMinutes, set, cap, end, error } = props;
  return (
    <Grid item xs={12}>
      <div style={{ marginBottom: 8 }}>
        {DURATION_PRESETS.filter(m => !cap || m <= cap).map(m => (
          <Chip
            key={m}
            label={formatMinutes(m)}
            clickable
            color={Number(durationMinutes) === m ? 'primary' : 'default'}
            onClick={() => set('durationMinutes', String(m))}
            style={{ marginRight: 8 }}
          />
        ))}
      </div>
      <TextField
        id="request-duration"
        type="number"
        label="Duration (minutes)"
        variant="outlined"
        value={durationMinutes}
        onChange={e => set('durationMinutes', e.target.value)}
        inputProps={{
          min: 1,
          max: cap,
          'aria-label': 'Duration (minutes)',
        }}
        error={!!error}
        helperText={
          error ??
          (end
            ? `Ends ${formatWhen(end.toISO()!)}${
                cap ? ` · at most ${formatMinutes(cap)}` : ''
              }`
            : ' ')
        }
      />
    </Grid>
  );
}
