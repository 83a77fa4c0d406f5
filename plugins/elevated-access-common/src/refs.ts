import { DEFAULT_NAMESPACE, parseEntityRef } from '@backstage/catalog-model';

/**
 * An entity ref as people read it: for a ref of one of `kinds` (by default
 * users) the kind is left out, and the namespace too when it is `default`
 * (`user:default/alice` → `alice`, `user:ops/bob` → `ops/bob`). Refs of other
 * kinds, and text that is not a ref, come back as given. Kind and namespace
 * compare case-insensitively, as the catalog compares them.
 *
 * @public
 */
export function shortEntityRef(
  ref: string,
  kinds: readonly string[] = ['user'],
): string {
  let parsed;
  try {
    parsed = parseEntityRef(ref);
  } catch {
    return ref;
  }
  const { kind, namespace, name } = parsed;
  if (!kinds.includes(kind.toLocaleLowerCase('en-US'))) return ref;
  return namespace.toLocaleLowerCase('en-US') === DEFAULT_NAMESPACE
    ? name
    : `${namespace}/${name}`;
}
