/*
 * The provisioning steps as the plugin wires them (createElevatedAccess):
 * each lives in a module of its own, on the shared ProvisioningStep.
 */
export { GrantStep } from './GrantStep';
export { RevokeStep } from './RevokeStep';
export { DEFAULT_LEASE_MS, nextAttempt } from './ProvisioningStep';
export type { ProvisioningDeps } from './ProvisioningStep';
export { SYSTEM_ACTOR } from './systemActor';
