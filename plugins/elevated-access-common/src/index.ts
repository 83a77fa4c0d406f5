/**
 * Types, permissions, input schemas and the request lifecycle shared by the
 * Elevated Access frontend and backend.
 *
 * @packageDocumentation
 */

export * from './permissions';
export * from './constants';
export * from './status';
export * from './lifecycle';
export * from './time';
export * from './terms';
export * from './signals';
export * from './types';
export * from './policyTypes';
export * from './auditTypes';
export * from './schemas';
export * from './fieldErrors';
export * from './ticketPattern';
export * from './exportFilename';
export * from './auditHistory';
export * from './extensions';
export * from './refs';
export * from './catalog';
