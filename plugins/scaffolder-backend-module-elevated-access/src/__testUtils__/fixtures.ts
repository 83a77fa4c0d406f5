import { AccessTargets } from '@elevated-access/backstage-plugin-elevated-access-node';
// The demo organisation, personas and policies are the backend's test
// fixtures (one source, also seeded into the demo); only tests import them.
// eslint-disable-next-line @backstage/no-forbidden-package-imports, @backstage/no-mixed-plugin-imports
import * as demo from '@elevated-access/backstage-plugin-elevated-access-backend/src/__testUtils__/fixtures';

export const { ACCOUNT, PS, userRef, ownershipOf, catalogEntities } = demo;

/**
 * The demo organisation with its payments accounts and audit only, so that
 * "you may request …" lists stay short.
 */
export function testTargets(): AccessTargets {
  const kept = new Set([
    ACCOUNT['payments-prod'],
    ACCOUNT['payments-dev'],
    ACCOUNT.audit,
  ]);
  const targets = demo.demoTargets();
  return {
    ...targets,
    accounts: targets.accounts.filter(account => kept.has(account.id)),
  };
}

/**
 * Developers may read workload accounts at once, and power-use them with a
 * ticket and an approval from the platform leads; nobody may request
 * AdministratorAccess.
 */
export const { eligibility: ELIGIBILITY, approvers: APPROVERS } =
  demo.demoPolicies();
