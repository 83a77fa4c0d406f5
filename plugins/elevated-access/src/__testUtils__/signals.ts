import { act } from '@testing-library/react';

/**
 * A stand-in for `@backstage/plugin-signals-react` whose signal the tests
 * send: `emitSignal()` is what the backend does when any request changes,
 * and every live list refreshes. Use it as the module's mock:
 *
 * ```ts
 * jest.mock('@backstage/plugin-signals-react', () =>
 *   jest.requireActual('../../__testUtils__/signals').signalsModuleMock(),
 * );
 * ```
 */
export function signalsModuleMock() {
  const { useEffect, useState } = jest.requireActual('react');
  const listeners = new Set<() => void>();
  let count = 0;
  return {
    useSignal: () => {
      const [lastSignal, setLastSignal] = useState();
      useEffect(() => {
        const listener = () => {
          count += 1;
          setLastSignal({ type: 'request-changed', n: count });
        };
        listeners.add(listener);
        return () => {
          listeners.delete(listener);
        };
      }, []);
      return { lastSignal, isSignalsAvailable: true };
    },
    emitSignal: () => listeners.forEach(l => l()),
  };
}

/** Sends the mocked signal, as the backend does when a request changes. */
export const emitSignal = async () => {
  const { emitSignal: emit } = jest.requireMock(
    '@backstage/plugin-signals-react',
  );
  await act(async () => emit());
};
