import { useApi } from '@backstage/core-plugin-api';
import {
  ApproverPolicy,
  approverPolicyInputSchema,
  EligibilityPolicy,
  eligibilityPolicyInputSchema,
  fieldErrors,
  formatMinutes,
  TargetsResponse,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  Grid,
  Switch,
  TextField,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { formErrorsOf } from '../common/errors';
import { PrincipalPicker } from './PrincipalPicker';
import { TargetPicker } from './TargetPicker';

/** A number of approvals (1 to 10), named by its label. */
function ApprovalsField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  help: string;
}) {
  return (
    <TextField
      label={props.label}
      type="number"
      variant="outlined"
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      error={!!props.error}
      helperText={props.error ?? props.help}
      inputProps={{
        'aria-label': props.label,
        min: 1,
        max: 10,
      }}
      style={{ marginTop: 16 }}
    />
  );
}

export type PolicyKind = 'eligibility' | 'approver';
type Draft = {
  name: string;
  refs: string[];
  accounts: string[];
  ous: string[];
  permissionSets: string[];
  maxDurationMinutes: string;
  approvalRequired: boolean;
  ticketRequired: boolean;
  breakGlass: boolean;
  minApprovals: string;
  /** Empty: sensitive accounts need as many approvals as others. */
  sensitiveMinApprovals: string;
};

/** The eligibility policy's two yes/no requirements. */
const REQUIREMENT_SWITCHES: Array<
  ['approvalRequired' | 'ticketRequired', string]
> = [
  ['approvalRequired', 'Approval required'],
  ['ticketRequired', 'Ticket required'],
];

function draftOf(
  kind: PolicyKind,
  policy?: EligibilityPolicy | ApproverPolicy,
): Draft {
  const e = policy as EligibilityPolicy | undefined;
  const a = policy as ApproverPolicy | undefined;
  return {
    name: policy?.name ?? '',
    refs: (kind === 'eligibility' ? e?.principals : a?.approvers) ?? [],
    accounts: policy?.accounts ?? [],
    ous: policy?.ous ?? [],
    permissionSets: policy?.permissionSets ?? [],
    maxDurationMinutes: String(e?.maxDurationMinutes ?? 240),
    approvalRequired: e?.approvalRequired ?? true,
    ticketRequired: e?.ticketRequired ?? true,
    breakGlass: e?.breakGlass ?? false,
    minApprovals: String(a?.minApprovals ?? 1),
    sensitiveMinApprovals:
      a?.sensitiveMinApprovals !== undefined
        ? String(a.sensitiveMinApprovals)
        : '',
  };
}

/** Create or edit an eligibility or approver policy. */
export const PolicyDialog = (props: {
  kind: PolicyKind;
  policy?: EligibilityPolicy | ApproverPolicy;
  targets: TargetsResponse;
  onClose: () => void;
  onSaved: () => void;
}) => {
  const api = useApi(elevatedAccessApiRef);
  const [draft, setDraft] = useState<Draft>(() =>
    draftOf(props.kind, props.policy),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  // saved, but with pairs nobody could approve: say so before closing
  const [warnings, setWarnings] = useState<string[]>();
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft(d => ({ ...d, [key]: value }));
  const eligibility = props.kind === 'eligibility';
  const refsField = eligibility ? 'principals' : 'approvers';

  const save = async () => {
    const base = {
      name: draft.name,
      accounts: draft.accounts,
      ous: draft.ous,
      permissionSets: draft.permissionSets,
      version: props.policy?.version,
    };
    const parsed = eligibility
      ? eligibilityPolicyInputSchema.safeParse({
          ...base,
          principals: draft.refs,
          maxDurationMinutes: Number(draft.maxDurationMinutes),
          approvalRequired: draft.approvalRequired,
          ticketRequired: draft.ticketRequired,
          breakGlass: draft.breakGlass,
        })
      : approverPolicyInputSchema.safeParse({
          ...base,
          approvers: draft.refs,
          minApprovals: Number(draft.minApprovals),
          ...(draft.sensitiveMinApprovals.trim()
            ? { sensitiveMinApprovals: Number(draft.sensitiveMinApprovals) }
            : {}),
        });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      return;
    }
    setBusy(true);
    try {
      const id = props.policy?.id;
      if (eligibility) {
        const input = parsed.data as Parameters<
          typeof api.createEligibilityPolicy
        >[0];
        const saved = await (id
          ? api.updateEligibilityPolicy(id, input)
          : api.createEligibilityPolicy(input));
        if (saved?.warnings?.length) {
          props.onSaved();
          setWarnings(saved.warnings);
          return;
        }
      } else {
        const input = parsed.data as Parameters<
          typeof api.createApproverPolicy
        >[0];
        await (id
          ? api.updateApproverPolicy(id, input)
          : api.createApproverPolicy(input));
      }
      props.onSaved();
      props.onClose();
    } catch (e) {
      setErrors(formErrorsOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={props.onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="policy-dialog-title"
    >
      <DialogTitle id="policy-dialog-title">
        {props.policy ? 'Edit' : 'New'}{' '}
        {eligibility ? 'eligibility' : 'approver'} policy
      </DialogTitle>
      {warnings ? (
        <>
          <DialogContent>
            <Alert severity="warning" data-testid="policy-warnings">
              The policy was saved. Before people use it:
              <ul style={{ margin: '8px 0 0', paddingLeft: 20 }}>
                {warnings.map(w => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </Alert>
          </DialogContent>
          <DialogActions>
            <Button
              variant="contained"
              color="primary"
              // a dialog puts focus on its first control (here the only one)
              // eslint-disable-next-line jsx-a11y/no-autofocus
              autoFocus
              onClick={props.onClose}
            >
              Close
            </Button>
          </DialogActions>
        </>
      ) : (
        <>
          <DialogContent>
            <Grid container spacing={2}>
              <Grid item xs={12}>
                <TextField
                  id="policy-name"
                  // a dialog puts focus in its first field
                  // eslint-disable-next-line jsx-a11y/no-autofocus
                  autoFocus
                  label="Name"
                  variant="outlined"
                  fullWidth
                  value={draft.name}
                  onChange={e => set('name', e.target.value)}
                  error={!!errors.name}
                  helperText={errors.name}
                  inputProps={{ 'aria-label': 'Name', maxLength: 200 }}
                />
              </Grid>
              <Grid item xs={12}>
                <PrincipalPicker
                  label={eligibility ? 'Who may request' : 'Who approves'}
                  value={draft.refs}
                  onChange={refs => set('refs', refs)}
                  error={errors[refsField]}
                  ownerChoices={!eligibility}
                />
              </Grid>
              <Grid item xs={12} md={7}>
                <FormLabel>Accounts and OUs</FormLabel>
                <TargetPicker
                  targets={props.targets}
                  value={{ accounts: draft.accounts, ous: draft.ous }}
                  onChange={scope => setDraft(d => ({ ...d, ...scope }))}
                />
                {(errors.accounts || errors.ous) && (
                  <FormHelperText error>
                    {errors.accounts ?? errors.ous}
                  </FormHelperText>
                )}
              </Grid>
              <Grid item xs={12} md={5}>
                <FormLabel>
                  Permission sets{eligibility ? '' : ' (none ticked: all)'}
                </FormLabel>
                <FormGroup>
                  {props.targets.permissionSets.map(p => (
                    <FormControlLabel
                      key={p.arn}
                      control={
                        <Checkbox
                          checked={draft.permissionSets.includes(p.arn)}
                          onChange={() =>
                            set(
                              'permissionSets',
                              draft.permissionSets.includes(p.arn)
                                ? draft.permissionSets.filter(x => x !== p.arn)
                                : [...draft.permissionSets, p.arn],
                            )
                          }
                        />
                      }
                      label={p.name}
                    />
                  ))}
                </FormGroup>
                {errors.permissionSets && (
                  <FormHelperText error>{errors.permissionSets}</FormHelperText>
                )}
                {eligibility ? (
                  <>
                    <TextField
                      label="Max duration (minutes)"
                      type="number"
                      variant="outlined"
                      value={draft.maxDurationMinutes}
                      onChange={e => set('maxDurationMinutes', e.target.value)}
                      error={!!errors.maxDurationMinutes}
                      helperText={
                        errors.maxDurationMinutes ??
                        formatMinutes(Number(draft.maxDurationMinutes))
                      }
                      inputProps={{ 'aria-label': 'Max duration (minutes)' }}
                      style={{ marginTop: 16 }}
                    />
                    {REQUIREMENT_SWITCHES.map(([key, label]) => (
                      <FormControlLabel
                        key={key}
                        control={
                          <Switch
                            checked={draft[key]}
                            onChange={e => set(key, e.target.checked)}
                          />
                        }
                        label={label}
                      />
                    ))}
                    <FormControlLabel
                      control={
                        <Switch
                          checked={draft.breakGlass}
                          onChange={e => set('breakGlass', e.target.checked)}
                          inputProps={
                            {
                              'aria-describedby': 'policy-break-glass-help',
                            } as object
                          }
                        />
                      }
                      label="Allow break-glass"
                    />
                    <FormHelperText
                      id="policy-break-glass-help"
                      error={!!errors.breakGlass}
                    >
                      {errors.breakGlass ??
                        'Requesters under this policy may get access at once without approval, with a ticket; an approver reviews it afterwards'}
                    </FormHelperText>
                  </>
                ) : (
                  <>
                    <ApprovalsField
                      label="Approvals needed"
                      value={draft.minApprovals}
                      onChange={value => set('minApprovals', value)}
                      error={errors.minApprovals}
                      help="Distinct approvers who must approve"
                    />
                    <ApprovalsField
                      label="Approvals for sensitive accounts"
                      value={draft.sensitiveMinApprovals}
                      onChange={value => set('sensitiveMinApprovals', value)}
                      error={errors.sensitiveMinApprovals}
                      help="Optional: approvals needed when the account is marked sensitive in the catalog; empty: as above"
                    />
                  </>
                )}
              </Grid>
              {(errors._ || errors.version) && (
                <Grid item xs={12}>
                  <Alert severity="error">{errors._ ?? errors.version}</Alert>
                </Grid>
              )}
            </Grid>
          </DialogContent>
          <DialogActions>
            <Button onClick={props.onClose} disabled={busy}>
              Cancel
            </Button>
            <Button
              variant="contained"
              color="primary"
              onClick={save}
              disabled={busy}
            >
              Save
            </Button>
          </DialogActions>
        </>
      )}
    </Dialog>
  );
};
