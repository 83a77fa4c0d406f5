import { InfoCard } from '@backstage/core-components';
import {
  describeOption,
  EligibilityOption,
  EligiblePair,
  formatMinutes,
  OptionChoice,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Typography } from '@material-ui/core';
import { shortRef } from '../common/format';
import { ouPathLabel } from './AccountPicker';
import { FormState } from './requestFormState';

/**
 * "What happens next": the chosen pair's options, the one that applies to
 * the request, who approves it and whether a ticket is needed.
 */
export function PairTerms(props: {
  form: Pick<FormState, 'account' | 'permissionSet'>;
  pair: EligiblePair | undefined;
  chosen: OptionChoice | undefined;
  applicable: EligibilityOption | undefined;
  breakGlass: boolean;
  cap: number | undefined;
}) {
  const { form, pair, chosen, applicable, breakGlass, cap } = props;
  return (
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
}
