/** Entity refs compare case-insensitively, as the catalog treats them. */
export const lowerRef = (ref: string) => ref.toLocaleLowerCase('en-US');

export const lowerRefs = (refs: string[]) => [...new Set(refs.map(lowerRef))];
