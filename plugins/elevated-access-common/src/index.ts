/**
 * Types, permissions, input schemas and the request lifecycle shared by the
 * Elevated Access frontend and backend.
 *
 * @packageDocumentation
 */

export * from './permissions';
export * from './constants';
export * from './status';
