import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import {
  Button,
  Grid,
  Typography,
  useMediaQuery,
  useTheme,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { ErrorState } from '../common/ErrorState';
import { AccountPicker } from './AccountPicker';
import { BreakGlassField } from './BreakGlassField';
import { JustificationField, TicketField } from './JustificationAndTicket';
import { PairTerms } from './PairTerms';
import { PermissionSetPicker } from './PermissionSetPicker';
import { DurationField, StartFields } from './TimingFields';
import { useRequestForm } from './useRequestForm';

/** Request access to one account with one permission set. */
export const RequestForm = () => {
  const theme = useTheme();
  // on a phone the rules come before Submit, not below the form
  const narrow = useMediaQuery(theme.breakpoints.down('sm'));
  const {
    settings,
    linked,
    link,
    firstAccounts,
    form,
    set,
    setBreakGlass,
    errors,
    submitting,
    submit,
    eligibility,
    setsForAccount,
    pair,
    breakGlass,
    cap,
    chosen,
    applicable,
    noApprover,
    justificationLength,
    justificationTooLong,
    openTicket,
    permissionSetHelp,
    sensitive,
    end,
  } = useRequestForm();

  if (
    (firstAccounts.loading && !firstAccounts.value) ||
    // the linked account is chosen before the form shows
    (linked.accountId && !link.applied && !link.eligibility.error)
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

  const terms = (
    <PairTerms
      form={form}
      pair={pair}
      chosen={chosen}
      applicable={applicable}
      breakGlass={breakGlass}
      cap={cap}
    />
  );

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={8}>
        <InfoCard title="Request access">
          <Grid container spacing={2}>
            {link.problem && (
              <Grid item xs={12}>
                <Alert severity="info" data-testid="link-problem">
                  {link.problem}
                </Alert>
              </Grid>
            )}
            {link.eligibility.error && (
              <Grid item xs={12}>
                <Alert
                  severity="error"
                  data-testid="link-problem"
                  action={
                    <Button color="inherit" onClick={link.eligibility.retry}>
                      Retry
                    </Button>
                  }
                >
                  Could not load account {linked.accountId} from the link:{' '}
                  {link.eligibility.error.message}
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
              <PermissionSetPicker
                options={setsForAccount}
                value={form.permissionSet}
                disabled={!form.account || eligibility.loading}
                onChange={value => {
                  set('permissionSet', value);
                  // break-glass is asked for each pair anew
                  set('breakGlass', false);
                }}
                error={!!errors.permissionSetArn}
                helperText={permissionSetHelp}
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
            <BreakGlassField
              pair={pair}
              checked={form.breakGlass}
              breakGlass={breakGlass}
              error={errors.breakGlass}
              onChange={setBreakGlass}
            />
            <StartFields
              form={form}
              set={set}
              breakGlass={breakGlass}
              error={errors.startTime}
            />
            <DurationField
              durationMinutes={form.durationMinutes}
              set={set}
              cap={cap}
              end={end}
              error={errors.durationMinutes}
            />
            <JustificationField
              value={form.justification}
              set={set}
              length={justificationLength}
              tooLong={justificationTooLong}
              error={errors.justification}
            />
            <TicketField
              value={form.ticketId}
              set={set}
              required={breakGlass || pair?.ticketRequired}
              settings={settings}
              openTicket={openTicket}
              error={errors.ticketId}
            />
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
