/**
 * Extension points, interfaces and permission rules of Elevated Access, for
 * adopters' backend modules and permission policies.
 *
 * @packageDocumentation
 */

export * from './permissions/resourceRef';
export * from './permissions/rules';
export * from './permissions/conditionExports';
export * from './policy/decideElevatedAccessPermission';
export * from './providers/AccessProvider';
export * from './providers/ActivitySource';
export * from './extensions';
export * from './awsConnection';
