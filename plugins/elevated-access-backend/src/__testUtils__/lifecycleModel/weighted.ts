import fc from 'fast-check';

/**
 * One of the values, each as often as its weight says: fc.oneof of the
 * constants, in the order given.
 */
export const weighted = <T>(...choices: Array<[value: T, weight: number]>) =>
  fc.oneof(
    ...choices.map(([value, weight]) => ({
      arbitrary: fc.constant(value),
      weight,
    })),
  );
