import {
  REQUEST_STATUSES,
  RequestStatus,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  Chip,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
} from '@material-ui/core';
import { statusLabel } from './StatusChip';

/** Choose statuses to show; none chosen means all. */
export const StatusFilter = (props: {
  value: RequestStatus[];
  onChange: (value: RequestStatus[]) => void;
}) => (
  <FormControl variant="outlined" size="small" style={{ minWidth: 240 }}>
    <InputLabel id="status-filter-label">Status</InputLabel>
    <Select
      labelId="status-filter-label"
      label="Status"
      multiple
      value={props.value}
      onChange={e => props.onChange(e.target.value as RequestStatus[])}
      renderValue={selected => (
        <div>
          {(selected as RequestStatus[]).map(s => (
            <Chip
              key={s}
              size="small"
              label={statusLabel(s)}
              style={{ marginRight: 4 }}
            />
          ))}
        </div>
      )}
      inputProps={{ 'aria-label': 'Status filter' }}
    >
      {REQUEST_STATUSES.map(s => (
        <MenuItem key={s} value={s}>
          {statusLabel(s)}
        </MenuItem>
      ))}
    </Select>
  </FormControl>
);
