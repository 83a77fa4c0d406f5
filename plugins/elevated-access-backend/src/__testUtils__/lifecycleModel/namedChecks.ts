/**
 * Runs every check on the same arguments; a failing check's error names it
 * on its first line, then says what failed.
 */
export function runNamedChecks<A extends unknown[]>(
  checks: Record<string, (...args: A) => void>,
  ...args: A
) {
  for (const [name, check] of Object.entries(checks)) {
    try {
      check(...args);
    } catch (e) {
      (e as Error).message = `${name}\n${(e as Error).message}`;
      throw e;
    }
  }
}
