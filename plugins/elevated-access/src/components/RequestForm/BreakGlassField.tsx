import {
  EligiblePair,
  formatMinutes,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  Checkbox,
  FormControlLabel,
  FormHelperText,
  Grid,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';

/**
 * The break-glass checkbox, where the pair allows break-glass to the caller,
 * with its warning once checked; elsewhere only the server's break-glass
 * error, if any.
 */
export function BreakGlassField(props: {
  pair: EligiblePair | undefined;
  checked: boolean;
  /** Break-glass is asked for and the pair allows it. */
  breakGlass: boolean;
  error: string | undefined;
  onChange: (on: boolean) => void;
}) {
  const { pair, checked, breakGlass, error, onChange } = props;
  if (!pair?.breakGlass) {
    return error ? (
      <Grid item xs={12}>
        <Alert severity="error">{error}</Alert>
      </Grid>
    ) : null;
  }
  return (
    <Grid item xs={12}>
      <FormControlLabel
        control={
          <Checkbox
            checked={checked}
            onChange={e => onChange(e.target.checked)}
            inputProps={
              {
                'aria-describedby': 'request-break-glass-help',
              } as object
            }
          />
        }
        label="Break-glass: I need access now, without approval"
      />
      <FormHelperText id="request-break-glass-help" error={!!error}>
        {error ??
          `For emergencies only, up to ${formatMinutes(
            pair.breakGlass.maxDurationMinutes,
          )}`}
      </FormHelperText>
      {breakGlass && (
        <Alert
          severity="warning"
          data-testid="break-glass-warning"
          style={{ marginTop: 8 }}
        >
          Break-glass is for emergencies. Access starts now, without approval.
          Every approver and the auditors are told at once, and an approver
          reviews the session&apos;s activity afterwards. A ticket is required.
        </Alert>
      )}
    </Grid>
  );
}
