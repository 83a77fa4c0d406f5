/**
 * Starts and controls the local AWS sandbox used by the Elevated Access demo,
 * its tests and its benchmarks.
 */
export * from './sandbox';
