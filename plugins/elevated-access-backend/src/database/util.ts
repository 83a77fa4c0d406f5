import { isDatabaseConflictError } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { Knex } from 'knex';
import { z } from 'zod';

/** A timestamp column as read from SQLite (epoch ms) or PostgreSQL (Date). */
export type DbTime = Date | number | string;

export function toDate(value: DbTime): Date {
  return value instanceof Date ? value : new Date(value);
}

export function toIso(value: DbTime): string;
export function toIso(value: DbTime | null | undefined): string | undefined;
export function toIso(value: DbTime | null | undefined): string | undefined {
  return value === null || value === undefined
    ? undefined
    : toDate(value).toISOString();
}

export function toBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

export function parseJson<T>(value: string | null | undefined, fallback: T): T {
  if (!value) return fallback;
  return JSON.parse(value) as T;
}

/** An opaque keyset cursor: the last row's sort key. */
export function encodeCursor(key: Array<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

// epoch ms; PostgreSQL's timestamps and JavaScript's dates both hold this range
const MAX_EPOCH_MS = 8.64e15;
const cursorKeySchema = z.tuple([
  z.number().int().min(0).max(MAX_EPOCH_MS),
  z.union([
    z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  ]),
]);

/**
 * The sort key in a cursor, or undefined when the cursor is not one the pager
 * made: wrong encoding, wrong shape, a time that is no instant, or an id of
 * the wrong type for the listing (a forged key must never reach the SQL).
 */
export function decodeCursor(
  cursor: string,
  idType: 'string' | 'number',
): [number, string | number] | undefined {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = cursorKeySchema.safeParse(key);
  if (!parsed.success || typeof parsed.data[1] !== idType) return undefined;
  return parsed.data;
}

/** A qualified column's name in the rows ('d.created_at' is read as created_at). */
function rowField(column: string): string {
  return column.slice(column.lastIndexOf('.') + 1);
}

/**
 * One page of `query`, newest first: keyset paging on (time, id), both
 * descending, so a page costs the same however deep it is. Reads one row more
 * than the limit to know whether there is a next page; the next page's cursor
 * is the last row's time and id, read from the rows under the columns' names.
 */
export async function pageNewestFirst<Row>(
  query: Knex.QueryBuilder,
  key: {
    timeColumn: string;
    idColumn: string;
    /** How ids are compared: the cursor's id is coerced to this. */
    idType: 'string' | 'number';
  },
  { cursor, limit }: { cursor?: string; limit: number },
): Promise<{ rows: Row[]; nextCursor?: string }> {
  const { timeColumn, idColumn, idType } = key;
  if (cursor) {
    const decoded = decodeCursor(cursor, idType);
    if (!decoded) {
      throw new InputError(
        'The cursor is not valid; start again from the first page',
      );
    }
    query.whereRaw('(??, ??) < (?, ?)', [
      timeColumn,
      idColumn,
      new Date(decoded[0]),
      decoded[1],
    ]);
  }
  const rows: Row[] = await query
    .orderBy([
      { column: timeColumn, order: 'desc' },
      { column: idColumn, order: 'desc' },
    ])
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1] as Record<string, DbTime> | undefined;
  if (rows.length <= limit || !last) return { rows: page };
  const id = last[rowField(idColumn)];
  return {
    rows: page,
    nextCursor: encodeCursor([
      toDate(last[rowField(timeColumn)]).getTime(),
      idType === 'number' ? Number(id) : String(id),
    ]),
  };
}

/**
 * Inserts `row` into `table`; a row that breaks a unique key (e.g. an
 * approver's second vote) is refused with a 409 saying `conflict`.
 */
export async function insertUnique(
  db: Knex,
  table: string,
  row: Record<string, unknown>,
  conflict: string,
): Promise<void> {
  try {
    await db(table).insert(row);
  } catch (e) {
    if (isDatabaseConflictError(e)) throw new ConflictError(conflict);
    throw e;
  }
}

/**
 * Rows whose lease, held until `untilColumn`, is free at `now`: never taken,
 * or run out (a replica that died holds nothing past its lease).
 */
export function leaseFree(untilColumn: string, now: Date) {
  return (q: Knex.QueryBuilder) =>
    q.whereNull(untilColumn).orWhere(untilColumn, '<', now);
}

/** Whether the database is PostgreSQL (what several replicas share). */
export function usesPostgres(knex: Knex): boolean {
  const client = String(knex.client.config.client);
  return client === 'pg' || client === 'postgres' || client === 'postgresql';
}
