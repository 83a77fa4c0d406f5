import { Progress, Table, TableColumn } from '@backstage/core-components';
import {
  Button,
  makeStyles,
  Paper,
  Typography,
  useMediaQuery,
  useTheme,
} from '@material-ui/core';
import { ReactNode } from 'react';
import { ErrorState } from '../common/ErrorState';
import { PagedList } from './usePagedList';

/** A column: a heading and how a row shows under it. */
export interface AuditColumn<T> {
  title: string;
  render: (row: T) => ReactNode;
}

const useStyles = makeStyles(theme => ({
  cards: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1.5),
  },
  card: {
    padding: theme.spacing(1.5, 2),
  },
  fields: {
    margin: 0,
  },
  field: {
    display: 'flex',
    gap: theme.spacing(1.5),
    padding: theme.spacing(0.25, 0),
  },
  term: {
    flex: '0 0 96px',
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  value: {
    margin: 0,
    minWidth: 0,
    overflowWrap: 'anywhere',
  },
  cell: {
    // words wrap between words, never inside them
    wordBreak: 'normal',
    overflowWrap: 'normal',
  },
}));

/**
 * A server-paged audit list: a table on wide screens, one card per row on a
 * phone (nothing cut off, no sideways scrolling); loading, empty and error
 * states; "Load more" for the next page.
 */
export function AuditList<T extends object>(props: {
  title: string;
  columns: AuditColumn<T>[];
  list: PagedList<T>;
  rowKey: (row: T) => string;
  emptyContent: ReactNode;
  /** What loading tried, for the error: "load the approval history". */
  action: string;
}) {
  const classes = useStyles();
  const theme = useTheme();
  const phone = useMediaQuery(theme.breakpoints.down('xs'));
  const { list } = props;

  let body: ReactNode;
  if (list.error) {
    body = (
      <ErrorState
        error={list.error}
        action={props.action}
        onRetry={list.retry}
      />
    );
  } else if (phone) {
    body = (
      <>
        <Typography variant="h6" component="h2" gutterBottom>
          {props.title}
        </Typography>
        {list.loading && !list.items.length && <Progress />}
        {!list.loading && !list.items.length && props.emptyContent}
        <ul className={classes.cards} aria-label={props.title}>
          {list.items.map(row => (
            <li key={props.rowKey(row)}>
              <Paper variant="outlined" className={classes.card}>
                <dl className={classes.fields}>
                  {props.columns.map(c => (
                    <div key={c.title} className={classes.field}>
                      <dt className={classes.term}>
                        <Typography variant="body2" component="span">
                          {c.title}
                        </Typography>
                      </dt>
                      <dd className={classes.value}>
                        <Typography variant="body2" component="div">
                          {c.render(row)}
                        </Typography>
                      </dd>
                    </div>
                  ))}
                </dl>
              </Paper>
            </li>
          ))}
        </ul>
      </>
    );
  } else {
    const columns: TableColumn<T>[] = props.columns.map(c => ({
      title: c.title,
      render: (row: T) => <div className={classes.cell}>{c.render(row)}</div>,
    }));
    body = (
      <Table<T>
        title={props.title}
        isLoading={list.loading}
        columns={columns}
        data={list.items}
        options={{
          paging: false,
          search: false,
          sorting: false,
          padding: 'dense',
          toolbar: true,
        }}
        emptyContent={<div style={{ padding: 16 }}>{props.emptyContent}</div>}
      />
    );
  }

  return (
    <>
      {body}
      {list.loadMore && !list.error && (
        <Button onClick={list.loadMore} style={{ marginTop: 8 }}>
          Load more
        </Button>
      )}
    </>
  );
}
