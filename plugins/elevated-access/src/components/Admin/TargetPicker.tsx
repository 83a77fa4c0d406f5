import { TargetsResponse } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Checkbox, FormControlLabel, Typography } from '@material-ui/core';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import TreeItem from '@material-ui/lab/TreeItem';
import TreeView from '@material-ui/lab/TreeView';
import { ReactNode } from 'react';

export interface Scope {
  accounts: string[];
  ous: string[];
}

/**
 * The organisation as a tree: tick an OU to cover every account under it,
 * now and later (nested OUs included), or tick single accounts.
 */
export const TargetPicker = (props: {
  targets: TargetsResponse;
  value: Scope;
  onChange: (scope: Scope) => void;
}) => {
  const { targets, value } = props;
  const childOus = (parent: string) =>
    targets.organizationalUnits
      .filter(o => o.parentId === parent)
      .sort((a, b) => a.name.localeCompare(b.name));
  const childAccounts = (parent: string) =>
    targets.accounts
      .filter(a => a.parentId === parent)
      .sort((a, b) => a.name.localeCompare(b.name));

  const toggle = (kind: keyof Scope, id: string) => {
    const list = value[kind];
    props.onChange({
      ...value,
      [kind]: list.includes(id) ? list.filter(x => x !== id) : [...list, id],
    });
  };

  const node = (
    id: string,
    label: string,
    kind: keyof Scope,
    inherited: boolean,
    children?: ReactNode,
  ) => (
    <TreeItem
      key={id}
      nodeId={id}
      label={
        <FormControlLabel
          onClick={e => e.stopPropagation()}
          control={
            <Checkbox
              size="small"
              checked={inherited || value[kind].includes(id)}
              disabled={inherited}
              onChange={() => toggle(kind, id)}
              inputProps={{ 'aria-label': label }}
            />
          }
          label={<Typography variant="body2">{label}</Typography>}
        />
      }
    >
      {children}
    </TreeItem>
  );

  const branch = (parent: string, inherited: boolean): ReactNode[] => [
    ...childOus(parent).map(ou => {
      const covered = inherited || value.ous.includes(ou.id);
      return node(
        ou.id,
        `${ou.name} (OU)`,
        'ous',
        inherited,
        branch(ou.id, covered),
      );
    }),
    ...childAccounts(parent).map(a =>
      node(a.id, `${a.name} (${a.id})`, 'accounts', inherited),
    ),
  ];

  const rootCovered = value.ous.includes(targets.rootId);
  return (
    <TreeView
      defaultCollapseIcon={<ExpandMoreIcon />}
      defaultExpandIcon={<ChevronRightIcon />}
      defaultExpanded={[
        targets.rootId,
        ...targets.organizationalUnits.map(o => o.id),
      ]}
    >
      {node(
        targets.rootId,
        'Whole organisation (root)',
        'ous',
        false,
        branch(targets.rootId, rootCovered),
      )}
    </TreeView>
  );
};
