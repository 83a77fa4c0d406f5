import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';

/**
 * How one value is read from a config, with its default applied. The
 * readers below use Backstage's own getters, so values keep their
 * conversions (e.g. a number from an environment variable's string) and
 * errors name the key and the config file.
 */
export type ConfigRead<T> = (config: Config, root: Config) => T;

/**
 * A value's read, or an object in the value's shape with a read (or a
 * further object) for each of its keys.
 */
export type ConfigSpec<T> =
  | ConfigRead<T>
  | (T extends readonly unknown[]
      ? never
      : T extends object
      ? { [K in keyof T]-?: ConfigSpec<T[K]> }
      : never);

/**
 * Reads every value a spec declares: one object in the spec's shape. Keys
 * are read below `config`; `root` is the whole configuration, for the
 * values read from elsewhere.
 */
export function readConfigSpec<T>(
  config: Config,
  spec: ConfigSpec<T>,
  root: Config = config,
): T {
  if (typeof spec === 'function') return spec(config, root);
  return Object.fromEntries(
    Object.entries(spec).map(([key, inner]) => [
      key,
      readConfigSpec(config, inner as ConfigSpec<unknown>, root),
    ]),
  ) as T;
}

export const optionalStringAt =
  (key: string): ConfigRead<string | undefined> =>
  config =>
    config.getOptionalString(key);

/** A string; for a union of names, unchecked (the cast of the value read). */
export const stringAt =
  <T extends string>(key: string, fallback: T): ConfigRead<T> =>
  config =>
    (config.getOptionalString(key) as T | undefined) ?? fallback;

export const numberAt =
  (key: string, fallback: number): ConfigRead<number> =>
  config =>
    config.getOptionalNumber(key) ?? fallback;

export const booleanAt =
  (key: string, fallback: boolean): ConfigRead<boolean> =>
  config =>
    config.getOptionalBoolean(key) ?? fallback;

/** A list of strings, empty when unset. */
export const stringsAt =
  (key: string): ConfigRead<string[]> =>
  config =>
    config.getOptionalStringArray(key) ?? [];

/**
 * A duration as Backstage reads them: a HumanDuration object, an ISO 8601
 * duration (`PT10S`) or a string such as `10s` or `2 minutes`.
 */
export const durationAt =
  (key: string, fallback: HumanDuration): ConfigRead<HumanDuration> =>
  config =>
    config.has(key) ? readDurationFromConfig(config, { key }) : fallback;
