import { useApi } from '@backstage/core-plugin-api';
import {
  JUSTIFICATION_LIMITS,
  plural,
  ticketLink,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { DateTime } from 'luxon';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { useElevatedAccess } from '../../hooks/useElevatedAccess';
import { formErrorsOf } from '../common/errors';
import { useRequestLink } from '../common/requestLink';
import { linkedRequest } from './linkedRequest';
import {
  ERROR_FIELD,
  FormState,
  initialFormState,
  SetField,
} from './requestFormState';
import {
  applicableOption,
  capOf,
  isBreakGlass,
  noApproverProblem,
  optionFor,
} from './requestTerms';
import { useLinkedEligibility } from './useLinkedEligibility';
import { validateRequest } from './validateRequest';

/**
 * The request form's state and what follows from it: the accounts to pick
 * from, the chosen account's pairs, the terms that apply, the errors, and
 * sending the request.
 */
export function useRequestForm() {
  const api = useApi(elevatedAccessApiRef);
  const { settings, refreshMe } = useElevatedAccess();
  const navigate = useNavigate();
  const requestLink = useRequestLink();
  const [searchParams] = useSearchParams();
  // read once: the link fills the form in, then the person takes over
  const [linked] = useState(() => linkedRequest(searchParams));
  // the picker's first page, and whether there is anything to request
  const firstAccounts = useAsyncRetry(
    () => api.searchEligibleAccounts({}),
    [api],
  );
  const [form, setForm] = useState<FormState>(() =>
    initialFormState(linked.entityRef),
  );
  const link = useLinkedEligibility(linked, form, setForm);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [submitting, setSubmitting] = useState(false);

  const accountId = form.account?.id;
  // the chosen account's pairs only: a large organisation has tens of
  // thousands of them
  const eligibility = useAsyncRetry(async () => {
    if (!accountId) return undefined;
    // the linked account's pairs are loaded already
    if (accountId === linked.accountId && link.eligibility.value) {
      return link.eligibility.value;
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

  const set: SetField = (key, value) => {
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
      const requested = requestLink(created.id);
      // the request page says who was told, and leads back here
      navigate(requested.to, {
        state: { ...requested.state, submitted: true },
      });
    } catch (e) {
      setErrors(formErrorsOf(e));
    } finally {
      setSubmitting(false);
    }
  };

  return {
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
  };
}
