import { makeStyles } from '@material-ui/core/styles';

/**
 * Colours for buttons that reject, revoke or cancel. MUI's secondary pink
 * (#f50057) and error red (#f44336) are below 4.5:1 on white; these dark reds
 * reach 6.5:1 on white and on a selected row's tint (and read on dark paper).
 */
export const useDangerStyles = makeStyles(theme => {
  const dark = theme.palette.type === 'dark';
  const red = dark ? '#ef9a9a' : '#b71c1c';
  return {
    outlined: {
      color: red,
      borderColor: red,
      '&:hover': { borderColor: red },
    },
    contained: {
      color: dark ? '#000' : '#fff',
      backgroundColor: red,
      '&:hover': { backgroundColor: dark ? '#e57373' : '#8e0000' },
    },
  };
});
