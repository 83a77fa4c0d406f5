import { stringify } from 'csv-stringify';
import { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Spreadsheet programs run cells that start with = + - @ (and tab/CR) as
 * formulas; a leading quote keeps auditors' exports inert (OWASP CSV injection).
 */
export function csvSafe(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * Streams `rows` as a CSV download named `filename`: a header line of
 * `columns`, then every row with each cell made inert (`csvSafe`); the
 * response is never cached.
 */
export async function streamCsv(
  res: Response,
  filename: string,
  columns: string[],
  rows: AsyncIterable<Record<string, unknown>>,
): Promise<void> {
  async function* safeRows() {
    for await (const row of rows) {
      yield Object.fromEntries(
        Object.entries(row).map(([k, v]) => [k, csvSafe(v)]),
      );
    }
  }
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  await pipeline(
    Readable.from(safeRows()),
    stringify({ header: true, columns }),
    res,
  );
}
