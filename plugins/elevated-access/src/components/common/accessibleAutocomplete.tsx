import { ListSubheader } from '@material-ui/core';
import { AutocompleteRenderGroupParams } from '@material-ui/lab/Autocomplete';

/**
 * Props that make MUI v4's Autocomplete pass axe: its combobox names the
 * listbox it controls (ARIA 1.2 requires aria-controls), and grouped options
 * sit in `group`s of the listbox rather than in nested lists, which screen
 * readers would announce as lists of nothing. Spread onto <Autocomplete>
 * together with a stable `id`: `<Autocomplete {...accessibleAutocomplete('account')} …>`.
 */
export function accessibleAutocomplete(id: string) {
  const popupId = `${id}-popup`;
  return {
    id,
    'aria-controls': popupId,
    renderGroup: (params: AutocompleteRenderGroupParams) => {
      const headerId = `${id}-group-${params.key}`;
      return (
        <li key={params.key} role="group" aria-labelledby={headerId}>
          <ListSubheader id={headerId} component="div" disableSticky>
            {params.group}
          </ListSubheader>
          <ul role="presentation" style={{ padding: 0 }}>
            {params.children}
          </ul>
        </li>
      );
    },
  };
}
