/**
 * Test utilities for Elevated Access providers and for plugins and modules
 * that run the Elevated Access backend in tests.
 *
 * @packageDocumentation
 */
export { InMemoryAccessProvider } from './InMemoryAccessProvider';
