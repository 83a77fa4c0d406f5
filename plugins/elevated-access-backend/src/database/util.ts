import { Knex } from 'knex';

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

export function isPostgres(knex: Knex): boolean {
  return String(knex.client.config.client).includes('pg');
}

/** An opaque keyset cursor: the last row's sort key. */
export function encodeCursor(key: Array<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(
  cursor: string,
): Array<string | number> | undefined {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(key) ? key : undefined;
  } catch {
    return undefined;
  }
}
