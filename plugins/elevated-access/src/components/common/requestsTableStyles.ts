import { darken, lighten, makeStyles, Theme } from '@material-ui/core/styles';

/** Text that reads well on white, on the selected row's tint and in dark mode. */
const subtle = (theme: Theme) =>
  theme.palette.type === 'dark' ? theme.palette.grey[300] : '#424242';

/** The styles of a list of requests: its table, its phone cards and their cells. */
export const useRequestsTableStyles = makeStyles(theme => ({
  paper: { padding: theme.spacing(2) },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  actionsBar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  scroll: { overflowX: 'auto' },
  table: {
    '& th': { whiteSpace: 'nowrap', fontWeight: 600 },
    '& td, & th': {
      // never break a word or an account id in the middle
      wordBreak: 'normal',
      overflowWrap: 'normal',
      verticalAlign: 'top',
      paddingLeft: theme.spacing(1),
      paddingRight: theme.spacing(1),
    },
  },
  /** The actions stay in view when a narrow window scrolls the table. */
  actionsCell: {
    whiteSpace: 'nowrap',
    position: 'sticky',
    right: 0,
    // the row's own background (striped or chosen), never see-through
    backgroundColor: 'inherit',
  },
  bodyRow: { backgroundColor: theme.palette.background.paper },
  nowrap: { whiteSpace: 'nowrap' },
  subtle: { color: subtle(theme) },
  errorText: {
    color:
      theme.palette.type === 'dark'
        ? theme.palette.error.light
        : theme.palette.error.dark,
  },
  row: {
    cursor: 'pointer',
    '&:focus': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: -2,
    },
  },
  selected: {
    '& td': {
      backgroundColor:
        theme.palette.type === 'dark'
          ? darken(theme.palette.primary.main, 0.7)
          : lighten(theme.palette.primary.main, 0.9),
    },
    '& td:first-child': {
      boxShadow: `inset 4px 0 0 ${theme.palette.primary.main}`,
    },
  },
  cards: { listStyle: 'none', margin: 0, padding: 0 },
  card: {
    padding: theme.spacing(1.5),
    marginBottom: theme.spacing(1),
    overflowWrap: 'anywhere',
    '&:focus': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
  cardSelected: {
    borderColor: theme.palette.primary.main,
    boxShadow: `inset 4px 0 0 ${theme.palette.primary.main}`,
  },
  cardTop: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
  },
  cardActions: { marginTop: theme.spacing(1) },
}));
