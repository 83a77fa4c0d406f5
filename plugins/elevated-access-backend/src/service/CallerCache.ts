/**
 * Values built per caller, kept while what they were built from is the same:
 * the same objects (the organisation tree, each policy, which the policy
 * store hands out again until one changes) or equal strings. Holds the most
 * recently used `size` callers.
 */
export class CallerCache<T> {
  private readonly entries = new Map<
    string,
    { from: readonly unknown[]; value: T }
  >();

  constructor(private readonly size: number) {}

  /** The value kept for `key` if built from `from`, else `build()`'s. */
  get(key: string, from: readonly unknown[], build: () => T): T {
    const kept = this.entries.get(key);
    this.entries.delete(key);
    const value =
      kept &&
      kept.from.length === from.length &&
      kept.from.every((x, i) => x === from[i])
        ? kept.value
        : build();
    this.entries.set(key, { from, value });
    if (this.entries.size > this.size) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    return value;
  }
}
