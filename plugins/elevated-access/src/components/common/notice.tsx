import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { IconButton, Snackbar } from '@material-ui/core';
import CloseIcon from '@material-ui/icons/Close';
import Alert from '@material-ui/lab/Alert';
import {
  createContext,
  PropsWithChildren,
  useCallback,
  useContext,
  useState,
} from 'react';

/** A short message about what the user just did. */
export interface Notice {
  message: string;
  severity: 'success' | 'info' | 'warning' | 'error';
}

type Notify = (notice: Notice) => void;

const NoticeContext = createContext<Notify | undefined>(undefined);

/** How long a success stays; errors stay until dismissed. */
const SUCCESS_MS = 6000;

/**
 * The plugin's own message bar. Backstage's AlertDisplay queues messages (so
 * "Request rejected (1 newer message)" was still showing after an approve)
 * and its close button has no name; here the newest message replaces the
 * one before and the close button is named.
 */
export const NoticeProvider = ({ children }: PropsWithChildren<{}>) => {
  const [current, setCurrent] = useState<(Notice & { key: number }) | null>(
    null,
  );
  const notify = useCallback<Notify>(
    notice => setCurrent({ ...notice, key: Date.now() }),
    [],
  );
  const close = () => setCurrent(null);
  return (
    <NoticeContext.Provider value={notify}>
      {children}
      <Snackbar
        key={current?.key}
        open={!!current}
        anchorOrigin={{ vertical: 'top', horizontal: 'center' }}
        autoHideDuration={current?.severity === 'error' ? null : SUCCESS_MS}
        onClose={(_event, reason) => reason !== 'clickaway' && close()}
      >
        {current ? (
          <Alert
            severity={current.severity}
            role={current.severity === 'error' ? 'alert' : 'status'}
            data-testid="notice"
            action={
              <IconButton
                color="inherit"
                size="small"
                aria-label="Dismiss message"
                onClick={close}
              >
                <CloseIcon fontSize="small" />
              </IconButton>
            }
          >
            {current.message}
          </Alert>
        ) : undefined}
      </Snackbar>
    </NoticeContext.Provider>
  );
};

/**
 * Shows a notice in the page's message bar; outside the page (a component
 * used on its own) it falls back to the app's alerts.
 */
export function useNotify(): Notify {
  const notify = useContext(NoticeContext);
  const alertApi = useApi(alertApiRef);
  return (
    notify ??
    (notice =>
      alertApi.post({
        ...notice,
        display: notice.severity === 'error' ? 'permanent' : 'transient',
      }))
  );
}
