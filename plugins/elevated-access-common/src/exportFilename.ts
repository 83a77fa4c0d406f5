import { shortEntityRef } from './refs';

/**
 * A filter value as it reads in a file name: entity refs by their name,
 * instants as UTC dates (with the time when it is not midnight), lists joined
 * by `+`, and nothing a file system or a header would trip on.
 */
function filterPart(value: string | string[] | boolean | number): string {
  if (Array.isArray(value)) return value.map(v => filterPart(v)).join('+');
  const text = String(value);
  if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text))) {
    const iso = new Date(text).toISOString();
    return iso.endsWith('T00:00:00.000Z')
      ? iso.slice(0, 10)
      : `${iso.slice(0, 10)}T${iso.slice(11, 16).replace(':', '')}Z`;
  }
  return shortEntityRef(text)
    .replace(/[^A-Za-z0-9.+-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The file name of a CSV export that names the filters it was made with, in
 * the order given, e.g. `elevated-access-requests_status-active+ended_requester-erin_from-2026-11-01.csv`;
 * without filters just `elevated-access-<kind>.csv`. Used by the backend
 * (Content-Disposition) and the browser (the saved file) alike.
 *
 * @public
 */
export function csvExportFilename(
  kind: string,
  filters: Record<string, string | string[] | boolean | number | undefined>,
): string {
  const parts = Object.entries(filters)
    .filter(
      ([, v]) =>
        v !== undefined && v !== '' && !(Array.isArray(v) && !v.length),
    )
    .map(([key, v]) => `${key}-${filterPart(v!)}`)
    .filter(part => !part.endsWith('-'));
  const name = [`elevated-access-${kind}`, ...parts].join('_');
  // file systems cap names at 255 bytes
  return `${name.slice(0, 200)}.csv`;
}
