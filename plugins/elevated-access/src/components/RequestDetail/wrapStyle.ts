/** Long words, ids and pasted text wrap instead of being cut off. */
export const WRAP = {
  overflowWrap: 'anywhere' as const,
  whiteSpace: 'pre-wrap' as const,
};
