import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AccountSummary,
  chooseBreakGlassOption,
  chooseEligibilityOption,
  createRequestSchema,
  CreateRequestInput,
  describeOption,
  EligibilityOption,
  EligiblePair,
  fieldErrors,
  formatMinutes,
  JUSTIFICATION_LIMITS,
  OptionChoice,
  PermissionSetSummary,
  plural,
  SettingsResponse,
  ticketLink,
  ticketMatches,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  Button,
  Checkbox,
  Chip,
  FormControlLabel,
  FormHelperText,
  Grid,
  Radio,
  RadioGroup,
  TextField,
  Typography,
  useMediaQuery,
  useTheme,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { DateTime } from 'luxon';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { useElevatedAccess } from '../../hooks/useElevatedAccess';
import { ErrorState } from '../common/ErrorState';
import { formErrorsOf, statusOf } from '../common/errors';
import { formatWhen, shortRef, zoneLabel } from '../common/format';
import { useRequestLink } from '../common/requestLink';
import { accessibleAutocomplete } from '../common/accessibleAutocomplete';
import { AccountPicker, ouPathLabel } from './AccountPicker';

const DURATION_PRESETS = [15, 30, 60, 120, 240, 480];

interface FormState {
  account: AccountSummary | null;
  permissionSet: PermissionSetSummary | null;
  startMode: 'now' | 'later';
  startLocal: string;
  durationMinutes: string;
  justification: string;
  ticketId: string;
  /** Break-glass asked for (only counts where the pair allows it). */
  breakGlass: boolean;
}

// which error a change of each field clears
const ERROR_FIELD: Record<keyof FormState, string> = {
  account: 'accountId',
  permissionSet: 'permissionSetArn',
  startMode: 'startTime',
  startLocal: 'startTime',
  durationMinutes: 'durationMinutes',
  justification: 'justification',
  ticketId: 'ticketId',
  breakGlass: 'breakGlass',
};

/**
 * Which of the caller's options the form's request gets, by the same
 * function the server decides with (one policy's terms, never a mix).
 */
export function optionFor(
  form: Pick<
    FormState,
    'account' | 'permissionSet' | 'durationMinutes' | 'ticketId'
  > &
    Partial<Pick<FormState, 'breakGlass'>>,
  pair: EligiblePair | undefined,
): OptionChoice | undefined {
  const durationMinutes = Number(form.durationMinutes);
  if (!pair || !Number.isFinite(durationMinutes) || durationMinutes < 1) {
    return undefined;
  }
  if (isBreakGlass(form, pair)) {
    return chooseBreakGlassOption(
      pair.options,
      { durationMinutes },
      `${form.permissionSet?.name} on ${form.account?.name}`,
    );
  }
  return chooseEligibilityOption(
    pair.options,
    { durationMinutes, hasTicket: Boolean(form.ticketId.trim()) },
    `${form.permissionSet?.name} on ${form.account?.name}`,
  );
}

/** Break-glass is asked for and the pair allows it to the caller. */
export function isBreakGlass(
  form: Partial<Pick<FormState, 'breakGlass'>>,
  pair: EligiblePair | undefined,
): boolean {
  return Boolean(form.breakGlass && pair?.breakGlass);
}

/** The longest the form's request may last: the break-glass cap when asked. */
function capOf(
  form: Partial<Pick<FormState, 'breakGlass'>>,
  pair: EligiblePair | undefined,
): number | undefined {
  if (!pair) return undefined;
  return isBreakGlass(form, pair)
    ? pair.breakGlass!.maxDurationMinutes
    : pair.maxDurationMinutes;
}

/** The option that applies to the form's request, or would once a ticket is given. */
function applicableOption(
  form: Parameters<typeof optionFor>[0],
  pair: EligiblePair | undefined,
): EligibilityOption | undefined {
  const chosen = optionFor(form, pair);
  if (chosen?.ok) return chosen.option;
  if (chosen?.field !== 'ticketId') return undefined;
  const withTicket = optionFor({ ...form, ticketId: 'a ticket' }, pair);
  return withTicket?.ok ? withTicket.option : undefined;
}

/**
 * Why nobody could approve a request for the pair on these terms, or
 * undefined: the server refuses such a request at creation, so the form says
 * so as soon as the pair (and the option that applies) is known.
 */
export function noApproverProblem(
  pair: EligiblePair | undefined,
  option: EligibilityOption | undefined,
  what: string,
  breakGlass = false,
): string | undefined {
  if (pair && breakGlass) {
    // nobody approves it, but an approver other than the requester reviews it
    return !pair.approvers.length || pair.otherApprovers === 0
      ? `Break-glass for ${what} needs an approver to review it afterwards, but no approver other than you covers it, so a request would be refused. Ask an Elevated Access admin to add one.`
      : undefined;
  }
  if (!pair || !option?.approvalRequired) return undefined;
  if (!pair.approvers.length) {
    return `Nobody can approve ${what}: no approver policy covers it, so a request would be refused. Ask an Elevated Access admin to add an approver policy for it.`;
  }
  const others = pair.otherApprovers;
  if (others !== undefined && others < Math.max(1, pair.minApprovals)) {
    return others === 0
      ? `Nobody but you could approve ${what}, and nobody approves their own request, so a request would be refused. Ask an Elevated Access admin to add approvers.`
      : `${what} needs ${plural(
          pair.minApprovals,
          'approval',
        )}, but only ${plural(others, 'person', 'people')} other than you ${
          others === 1 ? 'approves' : 'approve'
        } it, so a request would be refused. Ask an Elevated Access admin to add approvers.`;
  }
  return undefined;
}

/** The entity ref a link names, written in full, or undefined when it is none. */
export function entityRefOf(text: string | null): string | undefined {
  if (!text) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(text.trim()));
  } catch {
    return undefined;
  }
}

/**
 * What a link to the form asks for (`?accountId=&permissionSetArn=&entity=`,
 * as the entity card writes it): the account and permission set to choose,
 * and the entity the justification starts with.
 */
function linkedRequest(params: URLSearchParams) {
  return {
    accountId: params.get('accountId')?.trim() || undefined,
    permissionSetArn: params.get('permissionSetArn')?.trim() || undefined,
    entityRef: entityRefOf(params.get('entity')),
  };
}

/** The ticket's help text: the admin's example, never a regular expression. */
export function ticketHelp(
  settings: Pick<SettingsResponse, 'ticketPattern' | 'ticketExample'>,
): string {
  if (settings.ticketExample) return `For example ${settings.ticketExample}`;
  return settings.ticketPattern
    ? 'The id of your change or incident ticket, as your ticket system shows it'
    : 'The id of your change or incident ticket';
}

/** What the client checks before sending, with the same schema as the server. */
export function validateRequest(
  form: FormState,
  pair: EligiblePair | undefined,
  settings: Pick<SettingsResponse, 'ticketPattern' | 'ticketExample'>,
): { errors: Record<string, string>; body?: CreateRequestInput } {
  const errors: Record<string, string> = {};
  if (!form.account) errors.accountId = 'Choose an account';
  if (!form.permissionSet) errors.permissionSetArn = 'Choose a permission set';
  const breakGlass = isBreakGlass(form, pair);
  let startTime: string | undefined;
  // break-glass starts now: the start time is not asked for
  if (form.startMode === 'later' && !breakGlass) {
    const start = DateTime.fromISO(form.startLocal);
    if (!form.startLocal || !start.isValid)
      errors.startTime = 'Choose a start date and time';
    else if (start < DateTime.local().minus({ minutes: 5 })) {
      errors.startTime =
        'Start time is in the past; choose "Now" to start at once';
    } else startTime = start.toUTC().toISO()!;
  }
  const body = {
    accountId: form.account?.id ?? '',
    permissionSetArn: form.permissionSet?.arn ?? '',
    startTime,
    durationMinutes: Number(form.durationMinutes),
    justification: form.justification,
    ticketId: form.ticketId || undefined,
    ...(breakGlass ? { breakGlass: true } : {}),
  };
  const parsed = createRequestSchema.safeParse(body);
  if (!parsed.success) {
    for (const [field, message] of Object.entries(fieldErrors(parsed.error))) {
      if (!errors[field]) errors[field] = message;
    }
  }
  const ticket = form.ticketId.trim();
  if (breakGlass && !ticket && !errors.ticketId) {
    errors.ticketId = 'A ticket is required for break-glass access';
  }
  const choice = optionFor(form, pair);
  if (choice && !choice.ok && !errors[choice.field]) {
    errors[choice.field] = choice.message;
  }
  if (
    ticket &&
    !errors.ticketId &&
    settings.ticketPattern &&
    // linear-time matching: an admin's pattern never freezes the page
    !ticketMatches(settings.ticketPattern, ticket)
  ) {
    errors.ticketId = settings.ticketExample
      ? `${ticket} is not a ticket id we accept; for example ${settings.ticketExample}`
      : `${ticket} is not a ticket id we accept; check it in your ticket system`;
  }
  return Object.keys(errors).length || !parsed.success
    ? { errors }
    : { errors, body: parsed.data };
}

/** Request access to one account with one permission set. */
export const RequestForm = () => {
  const api = useApi(elevatedAccessApiRef);
  const { settings, refreshMe } = useElevatedAccess();
  const navigate = useNavigate();
  const requestLink = useRequestLink();
  const theme = useTheme();
  const [searchParams] = useSearchParams();
  // read once: the link fills the form in, then the person takes over
  const [linked] = useState(() => linkedRequest(searchParams));
  // on a phone the rules come before Submit, not below the form
  const narrow = useMediaQuery(theme.breakpoints.down('sm'));
  // the picker's first page, and whether there is anything to request
  const firstAccounts = useAsyncRetry(
    () => api.searchEligibleAccounts({}),
    [api],
  );
  const [form, setForm] = useState<FormState>({
    account: null,
    permissionSet: null,
    startMode: 'now',
    startLocal: DateTime.local()
      .plus({ hours: 1 })
      .startOf('hour')
      .toFormat("yyyy-MM-dd'T'HH:mm"),
    durationMinutes: '60',
    justification: linked.entityRef ? `For ${linked.entityRef}: ` : '',
    ticketId: '',
    breakGlass: false,
  });
  // the linked account's pairs, loaded as picking it would load them
  const linkedEligibility = useAsyncRetry(async () => {
    if (!linked.accountId) return undefined;
    try {
      return await api.getEligibility({ accountId: linked.accountId });
    } catch (e) {
      // an id the server does not take is an account one cannot request
      const status = statusOf(e);
      if (status === 400 || status === 404) {
        return { accounts: [], permissionSets: [], pairs: [] };
      }
      throw e;
    }
  }, [api, linked.accountId]);
  const linkedAccount = linkedEligibility.value?.pairs.length
    ? linkedEligibility.value.accounts.find(a => a.id === linked.accountId)
    : undefined;
  const linkedSet = linkedEligibility.value?.pairs.some(
    p =>
      p.accountId === linked.accountId &&
      p.permissionSetArn === linked.permissionSetArn,
  )
    ? linkedEligibility.value.permissionSets.find(
        p => p.arn === linked.permissionSetArn,
      )
    : undefined;
  const [linkApplied, setLinkApplied] = useState(false);
  useEffect(() => {
    if (linkApplied || !linkedEligibility.value) return;
    setLinkApplied(true);
    if (!linkedAccount) return;
    // unless the person chose an account while the link's was loading
    setForm(f =>
      f.account
        ? f
        : { ...f, account: linkedAccount, permissionSet: linkedSet ?? null },
    );
  }, [linkApplied, linkedEligibility.value, linkedAccount, linkedSet]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [submitting, setSubmitting] = useState(false);

  const accountId = form.account?.id;
  // the chosen account's pairs only: a large organisation has tens of
  // thousands of them
  const eligibility = useAsyncRetry(async () => {
    if (!accountId) return undefined;
    // the linked account's pairs are loaded already
    if (accountId === linked.accountId && linkedEligibility.value) {
      return linkedEligibility.value;
    }
    return api.getEligibility({ accountId });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, accountId]);
  const data = eligibility.value;
  const setsForAccount = useMemo(() => {
    if (!data || !form.account) return [];
    const arns = new Set(
      data.pairs
        .filter(p => p.accountId === form.account!.id)
        .map(p => p.permissionSetArn),
    );
    return data.permissionSets.filter(p => arns.has(p.arn));
  }, [data, form.account]);
  const pair = data?.pairs.find(
    p =>
      p.accountId === form.account?.id &&
      p.permissionSetArn === form.permissionSet?.arn,
  );
  const breakGlass = isBreakGlass(form, pair);
  const cap = capOf(form, pair);
  const chosen = optionFor(form, pair);
  const applicable = applicableOption(form, pair);
  const what = `${form.permissionSet?.name} on ${form.account?.name}`;
  const noApprover = noApproverProblem(pair, applicable, what, breakGlass);
  const justificationLength = form.justification.trim().length;
  const justificationTooLong =
    justificationLength > JUSTIFICATION_LIMITS.max
      ? `Justification is ${plural(
          justificationLength,
          'character',
        )}; the limit is ${JUSTIFICATION_LIMITS.max.toLocaleString('en-US')}`
      : undefined;
  const openTicket = ticketLink(settings, form.ticketId);
  let permissionSetHelp = errors.permissionSetArn ?? ' ';
  if (!form.account) permissionSetHelp = 'Choose an account first';
  else if (eligibility.loading) {
    permissionSetHelp = `Loading the permission sets of ${form.account.name}…`;
  }

  const sensitive = Boolean(
    form.account?.sensitive ||
      data?.accounts.find(a => a.id === form.account?.id)?.sensitive,
  );
  let linkProblem: string | undefined;
  if (linkApplied && linked.accountId) {
    if (!linkedAccount && !form.account) {
      linkProblem = `You cannot request access to account ${linked.accountId}: no eligibility policy gives it to you. Choose an account below.`;
    } else if (
      linkedAccount &&
      linked.permissionSetArn &&
      !linkedSet &&
      form.account?.id === linkedAccount.id &&
      !form.permissionSet
    ) {
      linkProblem = `The permission set in the link is not one you may request on ${linkedAccount.name}. Choose one of its permission sets.`;
    }
  }

  if (
    (firstAccounts.loading && !firstAccounts.value) ||
    // the linked account is chosen before the form shows
    (linked.accountId && !linkApplied && !linkedEligibility.error)
  ) {
    return <Progress />;
  }
  if (firstAccounts.error) {
    return (
      <ErrorState
        error={firstAccounts.error}
        action="load what you can request"
        onRetry={firstAccounts.retry}
      />
    );
  }
  if (!firstAccounts.value || firstAccounts.value.total === 0) {
    return (
      <EmptyState
        missing="data"
        title="Nothing you can request yet"
        description="No eligibility policy names you or one of your groups. Ask an Elevated Access admin to add one."
      />
    );
  }

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setForm(f => ({ ...f, [key]: value }));
    setErrors(e => {
      const { [ERROR_FIELD[key]]: _cleared, _: _general, ...rest } = e;
      return rest;
    });
  };

  const setBreakGlass = (on: boolean) => {
    set('breakGlass', on);
    const limit = pair?.breakGlass?.maxDurationMinutes;
    // checking it caps the duration at the break-glass limit
    if (on && limit && Number(form.durationMinutes) > limit) {
      set('durationMinutes', String(limit));
    }
  };

  const start =
    form.startMode === 'later' &&
    !breakGlass &&
    DateTime.fromISO(form.startLocal).isValid
      ? DateTime.fromISO(form.startLocal)
      : DateTime.local();
  const minutes = Number(form.durationMinutes);
  const end =
    Number.isFinite(minutes) && minutes > 0
      ? start.plus({ minutes })
      : undefined;

  const submit = async () => {
    const checked = validateRequest(form, pair, settings);
    setErrors(checked.errors);
    if (!checked.body || noApprover) return;
    setSubmitting(true);
    try {
      const created = await api.createRequest(checked.body);
      refreshMe();
      const link = requestLink(created.id);
      // the request page says who was told, and leads back here
      navigate(link.to, { state: { ...link.state, submitted: true } });
    } catch (e) {
      setErrors(formErrorsOf(e));
    } finally {
      setSubmitting(false);
    }
  };

  const terms = (
    <InfoCard title="What happens next">
      {!pair && (
        <Typography color="textSecondary">
          Choose an account and a permission set to see the rules that apply.
        </Typography>
      )}
      {pair && (
        <div data-testid="pair-terms">
          <Typography paragraph>
            <strong>{form.permissionSet?.name}</strong> on{' '}
            <strong>{form.account?.name}</strong>
            {form.account && ` (${ouPathLabel(form.account)})`}
          </Typography>
          <Typography paragraph>
            {pair.options.length > 1
              ? 'Your options (each is one policy; the first that fits your request applies):'
              : 'Your terms:'}
          </Typography>
          <ul data-testid="pair-options" style={{ marginTop: 0 }}>
            {pair.options.map(option => {
              const applies = applicable?.policyIds === option.policyIds;
              return (
                <li key={option.policyIds.join(',')}>
                  <Typography
                    variant="body2"
                    style={applies ? { fontWeight: 600 } : undefined}
                  >
                    {describeOption(option)}
                    {option.approvalRequired && pair.approvers.length
                      ? ` (by ${pair.approvers.map(shortRef).join(', ')})`
                      : ''}
                    {applies ? ' — applies to this request' : ''}
                  </Typography>
                </li>
              );
            })}
          </ul>
          {chosen && !chosen.ok && chosen.field === 'durationMinutes' && (
            <Typography paragraph color="error">
              {chosen.message}
            </Typography>
          )}
          {breakGlass && (
            <Typography paragraph data-testid="break-glass-terms">
              <strong>Break-glass:</strong> access starts now, without approval,
              for at most {formatMinutes(cap!)}. Every approver and the auditors
              are told at once, and an approver reviews the session&apos;s
              activity afterwards. A ticket is required.
            </Typography>
          )}
          {!breakGlass && applicable?.approvalRequired && (
            <Typography paragraph>
              Needs{' '}
              {pair.minApprovals > 1
                ? `${pair.minApprovals} approvals`
                : 'approval'}{' '}
              by {pair.approvers.map(shortRef).join(', ')}. Nobody approves
              their own request.
            </Typography>
          )}
          {!breakGlass && applicable && !applicable.approvalRequired && (
            <Typography paragraph>
              No approval needed: access starts at the start time.
            </Typography>
          )}
          {!breakGlass && applicable && (
            <Typography paragraph>
              {applicable.ticketRequired
                ? 'A ticket is required.'
                : 'A ticket is optional.'}
            </Typography>
          )}
          {form.permissionSet?.sessionDuration && (
            <Typography variant="caption" color="textSecondary">
              Each AWS session lasts{' '}
              {form.permissionSet.sessionDuration
                .replace('PT', '')
                .toLowerCase()}
              ; a session opened just before access ends stays valid until it
              expires.
            </Typography>
          )}
        </div>
      )}
    </InfoCard>
  );

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={8}>
        <InfoCard title="Request access">
          <Grid container spacing={2}>
            {linkProblem && (
              <Grid item xs={12}>
                <Alert severity="info" data-testid="link-problem">
                  {linkProblem}
                </Alert>
              </Grid>
            )}
            {linkedEligibility.error && (
              <Grid item xs={12}>
                <Alert
                  severity="error"
                  data-testid="link-problem"
                  action={
                    <Button color="inherit" onClick={linkedEligibility.retry}>
                      Retry
                    </Button>
                  }
                >
                  Could not load account {linked.accountId} from the link:{' '}
                  {linkedEligibility.error.message}
                </Alert>
              </Grid>
            )}
            <Grid item xs={12} sm={6}>
              <AccountPicker
                initial={firstAccounts.value}
                value={form.account}
                onChange={value => {
                  set('account', value);
                  set('permissionSet', null);
                  set('breakGlass', false);
                }}
                error={errors.accountId}
              />
            </Grid>
            <Grid item xs={12} sm={6}>
              <Autocomplete
                {...accessibleAutocomplete('request-permission-set')}
                options={setsForAccount}
                getOptionLabel={p => p.name}
                value={form.permissionSet}
                disabled={!form.account || eligibility.loading}
                onChange={(_e, value) => {
                  set('permissionSet', value);
                  // break-glass is asked for each pair anew
                  set('breakGlass', false);
                }}
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
                    error={!!errors.permissionSetArn}
                    helperText={permissionSetHelp}
                    // the hint says why the field is off: readable, not greyed
                    FormHelperTextProps={{ disabled: false }}
                  />
                )}
              />
            </Grid>
            {eligibility.error && (
              <Grid item xs={12}>
                <Alert
                  severity="error"
                  action={
                    <Button color="inherit" onClick={eligibility.retry}>
                      Retry
                    </Button>
                  }
                >
                  Could not load what you can request on {form.account?.name}:{' '}
                  {eligibility.error.message}
                </Alert>
              </Grid>
            )}
            {noApprover && (
              <Grid item xs={12}>
                <Alert severity="warning" data-testid="no-approver">
                  {noApprover}
                </Alert>
              </Grid>
            )}
            {pair?.breakGlass && (
              <Grid item xs={12}>
                <FormControlLabel
                  control={
                    <Checkbox
                      checked={form.breakGlass}
                      onChange={e => setBreakGlass(e.target.checked)}
                      inputProps={
                        {
                          'aria-describedby': 'request-break-glass-help',
                        } as object
                      }
                    />
                  }
                  label="Break-glass: I need access now, without approval"
                />
                <FormHelperText
                  id="request-break-glass-help"
                  error={!!errors.breakGlass}
                >
                  {errors.breakGlass ??
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
                    Break-glass is for emergencies. Access starts now, without
                    approval. Every approver and the auditors are told at once,
                    and an approver reviews the session&apos;s activity
                    afterwards. A ticket is required.
                  </Alert>
                )}
              </Grid>
            )}
            {!pair?.breakGlass && errors.breakGlass && (
              <Grid item xs={12}>
                <Alert severity="error">{errors.breakGlass}</Alert>
              </Grid>
            )}
            <Grid item xs={12}>
              {breakGlass ? (
                <Typography variant="body2">Access starts now.</Typography>
              ) : (
                <RadioGroup
                  row
                  aria-label="When access starts"
                  value={form.startMode}
                  onChange={e =>
                    set('startMode', e.target.value as 'now' | 'later')
                  }
                >
                  <FormControlLabel
                    value="now"
                    control={<Radio />}
                    label="Start now"
                  />
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
                  error={!!errors.startTime}
                  helperText={
                    errors.startTime ?? `Your time zone: ${zoneLabel()}`
                  }
                />
              )}
              {(form.startMode === 'now' || breakGlass) && errors.startTime && (
                <Typography color="error" variant="caption">
                  {errors.startTime}
                </Typography>
              )}
            </Grid>
            <Grid item xs={12}>
              <div style={{ marginBottom: 8 }}>
                {DURATION_PRESETS.filter(m => !cap || m <= cap).map(m => (
                  <Chip
                    key={m}
                    label={formatMinutes(m)}
                    clickable
                    color={
                      Number(form.durationMinutes) === m ? 'primary' : 'default'
                    }
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
                value={form.durationMinutes}
                onChange={e => set('durationMinutes', e.target.value)}
                inputProps={{
                  min: 1,
                  max: cap,
                  'aria-label': 'Duration (minutes)',
                }}
                error={!!errors.durationMinutes}
                helperText={
                  errors.durationMinutes ??
                  (end
                    ? `Ends ${formatWhen(end.toISO()!)}${
                        cap ? ` · at most ${formatMinutes(cap)}` : ''
                      }`
                    : ' ')
                }
              />
            </Grid>
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
                value={form.justification}
                onChange={e => set('justification', e.target.value)}
                inputProps={{ 'aria-label': 'Justification' }}
                error={!!(errors.justification ?? justificationTooLong)}
                helperText={
                  errors.justification ??
                  justificationTooLong ??
                  (justificationLength > JUSTIFICATION_LIMITS.max * 0.8
                    ? `${justificationLength.toLocaleString(
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
            <Grid item xs={12} sm={6}>
              <TextField
                id="request-ticket"
                label="Ticket"
                variant="outlined"
                fullWidth
                required={breakGlass || pair?.ticketRequired}
                value={form.ticketId}
                onChange={e => set('ticketId', e.target.value)}
                inputProps={{ maxLength: 64, 'aria-label': 'Ticket' }}
                error={!!errors.ticketId}
                helperText={errors.ticketId ?? ticketHelp(settings)}
              />
            </Grid>
            {openTicket && (
              <Grid item xs={12} sm={6} style={{ alignSelf: 'center' }}>
                <Link to={openTicket} data-testid="open-ticket">
                  Open ticket {form.ticketId.trim()}
                </Link>
              </Grid>
            )}
            {narrow && (
              <Grid item xs={12}>
                {terms}
              </Grid>
            )}
            {sensitive && form.account && (
              <Grid item xs={12}>
                <Alert severity="warning" data-testid="sensitive-warning">
                  {form.account.name} is marked sensitive: requests for it may
                  need more approvals than usual. Use it only for work that
                  cannot be done on another account.
                </Alert>
              </Grid>
            )}
            {errors._ && (
              <Grid item xs={12}>
                <Alert severity="error">{errors._}</Alert>
              </Grid>
            )}
            <Grid item xs={12}>
              <Button
                variant="contained"
                color="primary"
                onClick={submit}
                disabled={
                  submitting || Boolean(noApprover) || !!justificationTooLong
                }
                aria-describedby={
                  noApprover || justificationTooLong
                    ? 'request-submit-blocked'
                    : undefined
                }
              >
                {breakGlass ? 'Get break-glass access now' : 'Submit request'}
              </Button>
              {(noApprover || justificationTooLong) && (
                <Typography
                  id="request-submit-blocked"
                  variant="body2"
                  style={{ marginTop: 8 }}
                >
                  {noApprover
                    ? 'Submit is off: nobody could approve this request.'
                    : 'Submit is off: shorten the justification first.'}
                </Typography>
              )}
            </Grid>
          </Grid>
        </InfoCard>
      </Grid>
      {!narrow && (
        <Grid item xs={12} md={4}>
          {terms}
        </Grid>
      )}
    </Grid>
  );
};
