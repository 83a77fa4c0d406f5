import { ACCOUNT, DEMO_APPROVERS, DEMO_ELIGIBILITY, PS } from './fixtures';
import { ElevatedAccessTestBackend } from './testBackend';

/** alice's usual request: PowerUserAccess on payments-prod for an hour. */
export const powerUserRequest = {
  accountId: ACCOUNT['payments-prod'],
  permissionSetArn: PS.PowerUserAccess,
  durationMinutes: 60,
  justification: 'Fix the broken deployment pipeline',
  ticketId: 'OPS-42',
};

/** Creates the demo policies through the API, as dave (admin). */
export async function seedDemoPolicies(api: ElevatedAccessTestBackend) {
  const created = [];
  for (const policy of DEMO_ELIGIBILITY) {
    created.push(await api.post('dave', '/policies/eligibility', policy));
  }
  for (const policy of DEMO_APPROVERS) {
    created.push(await api.post('dave', '/policies/approval', policy));
  }
  const failed = created.filter(r => r.status !== 201);
  if (failed.length) {
    throw new Error(
      `Seeding policies failed: ${JSON.stringify(failed[0].body)}`,
    );
  }
}
