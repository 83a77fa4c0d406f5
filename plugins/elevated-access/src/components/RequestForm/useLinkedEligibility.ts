import { useApi } from '@backstage/core-plugin-api';
import { Dispatch, SetStateAction, useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { statusOf } from '../common/errors';
import { LinkedRequest } from './linkedRequest';
import { FormState } from './requestFormState';

/**
 * The account and permission set a link to the form names: loaded as picking
 * the account would load them, chosen once they are known (unless the person
 * chose an account first), and what to tell the person when the link names
 * something they cannot request.
 */
export function useLinkedEligibility(
  linked: LinkedRequest,
  form: Pick<FormState, 'account' | 'permissionSet'>,
  setForm: Dispatch<SetStateAction<FormState>>,
) {
  const api = useApi(elevatedAccessApiRef);
  // the linked account's pairs, loaded as picking it would load them
  const eligibility = useAsyncRetry(async () => {
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
  const account = eligibility.value?.pairs.length
    ? eligibility.value.accounts.find(a => a.id === linked.accountId)
    : undefined;
  const permissionSet = eligibility.value?.pairs.some(
    p =>
      p.accountId === linked.accountId &&
      p.permissionSetArn === linked.permissionSetArn,
  )
    ? eligibility.value.permissionSets.find(
        p => p.arn === linked.permissionSetArn,
      )
    : undefined;
  const [applied, setApplied] = useState(false);
  useEffect(() => {
    if (applied || !eligibility.value) return;
    setApplied(true);
    if (!account) return;
    // unless the person chose an account while the link's was loading
    setForm(f =>
      f.account ? f : { ...f, account, permissionSet: permissionSet ?? null },
    );
  }, [applied, eligibility.value, account, permissionSet, setForm]);

  let problem: string | undefined;
  if (applied && linked.accountId) {
    if (!account && !form.account) {
      problem = `You cannot request access to account ${linked.accountId}: no eligibility policy gives it to you. Choose an account below.`;
    } else if (
      account &&
      linked.permissionSetArn &&
      !permissionSet &&
      form.account?.id === account.id &&
      !form.permissionSet
    ) {
      problem = `The permission set in the link is not one you may request on ${account.name}. Choose one of its permission sets.`;
    }
  }
  return { eligibility, account, applied, problem };
}
