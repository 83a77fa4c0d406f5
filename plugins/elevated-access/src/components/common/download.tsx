import { useNotify } from './notice';
import { Button, CircularProgress } from '@material-ui/core';
import { useState } from 'react';
import { DownloadOptions } from '../../api/ElevatedAccessApi';
import { messageOf } from './errors';

/** Saves a blob the browser fetched with the user's token as a file. */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function formatBytes(bytes: number) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A button that downloads a streamed CSV export and saves it. Large exports
 * take a while, so while one runs the button shows how much has arrived and
 * cannot be pressed again.
 */
export const DownloadButton = (props: {
  label: string;
  filename: string;
  fetch: (options: DownloadOptions) => Promise<Blob>;
}) => {
  const notify = useNotify();
  const [received, setReceived] = useState<number>();
  const busy = received !== undefined;

  const download = async () => {
    setReceived(0);
    try {
      saveBlob(await props.fetch({ onProgress: setReceived }), props.filename);
    } catch (e) {
      notify({ message: messageOf(e), severity: 'error' });
    } finally {
      setReceived(undefined);
    }
  };

  return (
    <Button
      variant="outlined"
      onClick={download}
      disabled={busy}
      aria-label={props.label}
      startIcon={busy ? <CircularProgress size={16} /> : undefined}
    >
      {busy ? `Downloading… ${formatBytes(received)}` : props.label}
    </Button>
  );
};
