import { Chip } from '@material-ui/core';
import { makeStyles } from '@material-ui/core/styles';
import { CSSProperties } from 'react';

const useStyles = makeStyles({
  // dark red, 6.6:1 under white text (WCAG AA) in both themes, apart from
  // the break-glass orange and the status colours
  chip: { color: '#ffffff', backgroundColor: '#b71c1c', fontWeight: 500 },
});

/** Marks an account (or a request for one) marked sensitive in the catalog. */
export const SensitiveChip = (props: {
  label?: string;
  style?: CSSProperties;
}) => {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      className={classes.chip}
      label={props.label ?? 'Sensitive'}
      data-testid="sensitive-chip"
      style={props.style}
    />
  );
};
