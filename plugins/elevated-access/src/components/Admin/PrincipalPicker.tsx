import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  isOwnerApproverToken,
  OWNER_APPROVER,
  SYSTEM_OWNER_APPROVER,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { TextField } from '@material-ui/core';
import Autocomplete from '@material-ui/lab/Autocomplete';
import useAsync from 'react-use/esm/useAsync';
import { accessibleAutocomplete } from '../common/accessibleAutocomplete';
import { shortRef } from '../common/format';

const OWNER_LABELS: Record<string, string> = {
  [OWNER_APPROVER]: 'Owner of the account (catalog)',
  [SYSTEM_OWNER_APPROVER]: "Owner of the account's system (catalog)",
};

/** An approver entry in words: the catalog owners by role, refs as written. */
export function approverLabel(entry: string): string {
  return OWNER_LABELS[entry.trim().toLocaleLowerCase('en-US')] ?? entry;
}

/** An approver entry as a policy list shows it: owners by role, refs short. */
export function shortApproverLabel(entry: string): string {
  return isOwnerApproverToken(entry) ? approverLabel(entry) : shortRef(entry);
}

/**
 * Users and groups from the catalog, as entity refs; with `ownerChoices`
 * also the owners the catalog names for each account (approver policies).
 */
export const PrincipalPicker = (props: {
  label: string;
  value: string[];
  onChange: (refs: string[]) => void;
  error?: string;
  ownerChoices?: boolean;
}) => {
  const catalogApi = useApi(catalogApiRef);
  const options = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: ['User', 'Group'] },
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    });
    return items.map(e => stringifyEntityRef(e)).sort();
  }, [catalogApi]);
  const id = `principals-${props.label.toLowerCase().replace(/\W+/g, '-')}`;
  const owners = props.ownerChoices
    ? [OWNER_APPROVER, SYSTEM_OWNER_APPROVER]
    : [];
  const groupOf = (entry: string) => {
    if (owners.length && isOwnerApproverToken(entry)) return 'Catalog owners';
    return entry.startsWith('group:') ? 'Groups' : 'Users';
  };
  return (
    <Autocomplete
      {...accessibleAutocomplete(id)}
      multiple
      freeSolo
      options={[...owners, ...(options.value ?? [])]}
      loading={options.loading}
      value={props.value}
      onChange={(_e, refs) => props.onChange(refs as string[])}
      groupBy={groupOf}
      getOptionLabel={entry => (owners.length ? approverLabel(entry) : entry)}
      renderInput={params => (
        <TextField
          {...params}
          label={props.label}
          variant="outlined"
          error={!!props.error}
          helperText={
            props.error ??
            (owners.length
              ? 'Catalog users and groups (e.g. group:default/developers), or the owners the catalog names for the account'
              : 'Catalog users and groups, e.g. group:default/developers')
          }
        />
      )}
    />
  );
};
