import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { TextField } from '@material-ui/core';
import Autocomplete from '@material-ui/lab/Autocomplete';
import useAsync from 'react-use/esm/useAsync';
import { accessibleAutocomplete } from '../common/accessibleAutocomplete';

/** Users and groups from the catalog, as entity refs. */
export const PrincipalPicker = (props: {
  label: string;
  value: string[];
  onChange: (refs: string[]) => void;
  error?: string;
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
  return (
    <Autocomplete
      {...accessibleAutocomplete(id)}
      multiple
      freeSolo
      options={options.value ?? []}
      loading={options.loading}
      value={props.value}
      onChange={(_e, refs) => props.onChange(refs as string[])}
      groupBy={ref => (ref.startsWith('group:') ? 'Groups' : 'Users')}
      renderInput={params => (
        <TextField
          {...params}
          label={props.label}
          variant="outlined"
          error={!!props.error}
          helperText={
            props.error ??
            'Catalog users and groups, e.g. group:default/developers'
          }
        />
      )}
    />
  );
};
