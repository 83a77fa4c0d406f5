import { Chip } from '@material-ui/core';
import { makeStyles } from '@material-ui/core/styles';
import { CSSProperties } from 'react';

const useStyles = makeStyles({
  // deep orange, 5.6:1 under white text (WCAG AA), the same in both themes,
  // apart from every status colour
  chip: { color: '#ffffff', backgroundColor: '#bf360c', fontWeight: 500 },
});

/** Marks a break-glass request: approved at once, reviewed afterwards. */
export const BreakGlassChip = (props: { style?: CSSProperties }) => {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      className={classes.chip}
      label="Break-glass"
      data-testid="break-glass-chip"
      style={props.style}
    />
  );
};
