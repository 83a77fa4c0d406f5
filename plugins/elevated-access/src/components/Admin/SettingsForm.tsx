import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useNotify } from '../common/notice';
import {
  fieldErrors,
  formatMinutes,
  SettingsResponse,
  settingsInputSchema,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  Button,
  FormControlLabel,
  Grid,
  Switch,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { useElevatedAccess } from '../../hooks/useElevatedAccess';
import { formErrorsOf } from '../common/errors';
import { formatWhen, shortRef } from '../common/format';

type Draft = Record<string, string | boolean>;

const NUMBERS: Array<[keyof SettingsResponse, string, string]> = [
  [
    'maxDurationMinutes',
    'Max duration (minutes)',
    'No request is longer, whatever the policies say',
  ],
  [
    'pendingTimeoutMinutes',
    'Pending timeout (minutes)',
    'Undecided requests expire after this (never after their window ends)',
  ],
  [
    'reminderBeforeExpiryMinutes',
    'Reminder before expiry (minutes)',
    'Approvers are reminded this long before a request expires; 0 turns it off',
  ],
  [
    'endsSoonMinutes',
    'Ends soon notice (minutes)',
    'Requesters are told this long before their access ends, with a link to extend it; 0 turns it off',
  ],
];
const SWITCHES: Array<[keyof SettingsResponse, string]> = [
  ['approvalRequired', 'Approval required (unless a policy waives it)'],
  ['ticketRequired', 'Ticket required (unless a policy waives it)'],
  ['commentRequiredOnReject', 'Comment required to reject'],
  ['commentRequiredOnRevoke', 'Comment required to revoke'],
];

/** The ticket fields: text, saved as null when empty. */
const TEXTS: Array<{
  key: 'ticketPattern' | 'ticketExample' | 'ticketLinkTemplate';
  id: string;
  label: string;
  help: string;
  maxLength?: number;
}> = [
  {
    key: 'ticketPattern',
    id: 'settings-ticket-pattern',
    label: 'Ticket pattern (regular expression)',
    help: 'e.g. ^[A-Z]+-[0-9]+$; empty: any ticket',
  },
  {
    key: 'ticketExample',
    id: 'settings-ticket-example',
    label: 'Ticket example',
    help: 'Requesters see "For example OPS-123" instead of the pattern; it must match the pattern',
    maxLength: 64,
  },
  {
    key: 'ticketLinkTemplate',
    id: 'settings-ticket-link',
    label: 'Ticket link',
    help: 'e.g. https://jira.example.com/browse/{ticket}',
  },
];

/** The admin settings, saved as a whole; concurrent edits are refused. */
export const SettingsForm = () => {
  const api = useApi(elevatedAccessApiRef);
  const notify = useNotify();
  const { settings, refreshMe } = useElevatedAccess();
  const [current, setCurrent] = useState(settings);
  const [draft, setDraft] = useState<Draft>(() => ({
    ...Object.fromEntries(NUMBERS.map(([k]) => [k, String(settings[k])])),
    ...Object.fromEntries(SWITCHES.map(([k]) => [k, Boolean(settings[k])])),
    ...Object.fromEntries(TEXTS.map(({ key }) => [key, settings[key] ?? ''])),
  }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const save = async () => {
    const parsed = settingsInputSchema.safeParse({
      ...Object.fromEntries(NUMBERS.map(([k]) => [k, Number(draft[k])])),
      ...Object.fromEntries(SWITCHES.map(([k]) => [k, draft[k]])),
      ...Object.fromEntries(
        TEXTS.map(({ key }) => [key, (draft[key] as string) || null]),
      ),
      version: current.version,
    });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      return;
    }
    setBusy(true);
    try {
      const saved = await api.updateSettings(parsed.data);
      setCurrent(saved);
      setErrors({});
      refreshMe();
      notify({
        message: 'Settings saved',
        severity: 'success',
      });
    } catch (e) {
      setErrors(formErrorsOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <InfoCard
      title="Settings"
      subheader={
        current.updatedAt
          ? `Last changed ${formatWhen(current.updatedAt)} by ${shortRef(
              current.updatedBy ?? '',
            )}`
          : 'Defaults from app-config; nothing saved yet'
      }
    >
      <Grid container spacing={2}>
        {NUMBERS.map(([key, label, help]) => (
          <Grid item xs={12} md={4} key={key}>
            <TextField
              id={`settings-${key}`}
              label={label}
              type="number"
              variant="outlined"
              fullWidth
              value={draft[key]}
              onChange={e => setDraft(d => ({ ...d, [key]: e.target.value }))}
              error={!!errors[key]}
              helperText={
                errors[key] ?? `${formatMinutes(Number(draft[key]))} · ${help}`
              }
              inputProps={{ 'aria-label': label }}
            />
          </Grid>
        ))}
        {SWITCHES.map(([key, label]) => (
          <Grid item xs={12} md={6} key={key}>
            <FormControlLabel
              control={
                <Switch
                  checked={Boolean(draft[key])}
                  onChange={e =>
                    setDraft(d => ({ ...d, [key]: e.target.checked }))
                  }
                />
              }
              label={label}
            />
          </Grid>
        ))}
        {TEXTS.map(({ key, id, label, help, maxLength }) => (
          <Grid item xs={12} md={6} key={key}>
            <TextField
              id={id}
              label={label}
              variant="outlined"
              fullWidth
              value={draft[key]}
              onChange={e => setDraft(d => ({ ...d, [key]: e.target.value }))}
              error={!!errors[key]}
              helperText={errors[key] ?? help}
              inputProps={maxLength ? { maxLength } : undefined}
            />
          </Grid>
        ))}
        {(errors._ || errors.version) && (
          <Grid item xs={12}>
            <Alert severity="error">{errors._ ?? errors.version}</Alert>
          </Grid>
        )}
        <Grid item xs={12}>
          <Button
            variant="contained"
            color="primary"
            onClick={save}
            disabled={busy}
          >
            {busy ? 'Saving…' : 'Save settings'}
          </Button>
          <Typography
            variant="caption"
            color="textSecondary"
            style={{ marginLeft: 16 }}
          >
            Secrets (such as a Slack webhook) live in app-config, never here.
          </Typography>
        </Grid>
      </Grid>
    </InfoCard>
  );
};
