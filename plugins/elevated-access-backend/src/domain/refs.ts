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
