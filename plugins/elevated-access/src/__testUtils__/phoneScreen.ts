/** MUI's down('xs') asks for max-width 599.95px: a 390 px wide screen matches. */
const xsQuery = (query: string) => /max-width:\s*599\.95px/.test(query);

/**
 * Makes `window.matchMedia` answer as a phone would (by default, only MUI's
 * xs breakpoint matches); returns what puts the real one back.
 */
export function phoneScreen(
  matches: (query: string) => boolean = xsQuery,
): () => void {
  const original = window.matchMedia;
  window.matchMedia = jest.fn().mockImplementation((query: string) => ({
    matches: matches(query),
    media: query,
    onchange: null,
    addListener: jest.fn(),
    removeListener: jest.fn(),
    addEventListener: jest.fn(),
    removeEventListener: jest.fn(),
    dispatchEvent: jest.fn(),
  }));
  return () => {
    window.matchMedia = original;
  };
}
