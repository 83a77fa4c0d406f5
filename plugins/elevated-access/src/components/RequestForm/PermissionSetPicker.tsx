import { PermissionSetSummary } from '@elevated-access/backstage-plugin-elevated-access-common';
import { TextField, Typography } from '@material-ui/core';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { accessibleAutocomplete } from '../common/accessibleAutocomplete';

/**
 * The request form's "Permission set" field: the sets the caller may
 * request on the chosen account, off (with a readable hint) until one is.
 */
export function PermissionSetPicker(props: {
  options: PermissionSetSummary[];
  value: PermissionSetSummary | null;
  disabled: boolean;
  onChange: (permissionSet: PermissionSetSummary | null) => void;
  error: boolean;
  helperText: string;
}) {
  const { options, value, disabled, onChange, error, helperText } = props;
  return (
    <Autocomplete
      {...accessibleAutocomplete('request-permission-set')}
      options={options}
      getOptionLabel={p => p.name}
      value={value}
      disabled={disabled}
      onChange={(_e, chosen) => onChange(chosen)}
      renderOption={p => (
        <div>
          <Typography variant="body2">{p.name}</Typography>
          {p.description && (
            <Typography variant="caption" color="textSecondary">
              {p.description}
            </Typography>
          )}
        </div>
      )}
      renderInput={params => (
        <TextField
          {...params}
          label="Permission set"
          variant="outlined"
          required
          error={error}
          helperText={helperText}
          // the hint says why the field is off: readable, not greyed
          FormHelperTextProps={{ disabled: false }}
        />
      )}
    />
  );
}
