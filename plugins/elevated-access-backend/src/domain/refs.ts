import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/** Entity refs compare case-insensitively, as the catalog treats them. */
export function sameRef(a: string, b: string): boolean {
  return a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');
}

/** Whether any of `refs` is among `candidates`. */
export function intersects(refs: string[], candidates: string[]): boolean {
  const set = new Set(candidates.map(r => r.toLocaleLowerCase('en-US')));
  return refs.some(r => set.has(r.toLocaleLowerCase('en-US')));
}

/** The caller: their user ref and the refs they own through (self and groups). */
export interface Caller {
  userEntityRef: string;
  ownershipEntityRefs: string[];
}

/**
 * One spelling of an entity ref, as refs are stored and compared: kind,
 * namespace and name lower-cased (the catalog compares refs
 * case-insensitively), the namespace `default` and, for a bare name, the kind
 * `user` filled in. A policy naming `user:default/Bob`, `User:Default/bob` or
 * `bob` names the user who signs in as `user:default/bob`.
 */
export function normalizeRef(ref: string, defaultKind = 'user'): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref.trim(), { defaultKind, defaultNamespace: 'default' }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return ref.trim().toLocaleLowerCase('en-US');
  }
}

/** Normalised refs, each once, in their first order. */
export function normalizeRefs(refs: string[], defaultKind = 'user'): string[] {
  return [...new Set(refs.map(r => normalizeRef(r, defaultKind)))];
}
