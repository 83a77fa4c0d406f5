import { PS } from '../__testUtils__/fixtures';
import {
  seedAuthorizationFixture,
  setUpAuthorizationBackend,
} from '../__testUtils__/authorization/matrix';
import { ROUTE_CASES } from '../__testUtils__/authorization/routeCases';
import { createRouter } from './router';

jest.setTimeout(180_000);

/*
 * Authorization as a whole: that the matrix (run in
 * authorization.matrix.test.ts) has a case for every route, and what a
 * refused or a permitted read says.
 */
describe('authorization of every route for every caller', () => {
  const backend = setUpAuthorizationBackend();
  const seed = () => seedAuthorizationFixture(backend.api, backend.knex);

  it('covers every route of the router', async () => {
    const router: any = await createRouter({} as any);
    const routes = new Set<string>();
    for (const layer of router.stack) {
      if (!layer.route) continue;
      for (const method of Object.keys(layer.route.methods)) {
        routes.add(`${method.toUpperCase()} ${layer.route.path}`);
      }
    }
    const covered = new Set(ROUTE_CASES.map(c => c.route.replace(/\?.*$/, '')));
    expect([...routes].filter(r => !covered.has(r))).toEqual([]);
  });

  it('says whose request a refused read is, or that there is none', async () => {
    const fixture = await seed();
    const other = await backend.api.get('erin', `/requests/${fixture.pending}`);
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe(
      "You can't see this request: it belongs to alice. Ask alice, or an approver of it, for what you need.",
    );
    const missing = '00000000-0000-4000-8000-000000000000';
    const none = await backend.api.get('alice', `/requests/${missing}`);
    expect(none.status).toBe(404);
    expect(none.body.error.message).toBe(
      `There is no request ${missing}. Check the link.`,
    );
  });

  it('tells the form how many others could approve each pair', async () => {
    await seed();
    const pairs = (await backend.api.get('alice', '/eligibility')).body
      .pairs as Array<{
      permissionSetArn: string;
      otherApprovers?: number;
    }>;
    const power = pairs.find(p => p.permissionSetArn === PS.PowerUserAccess);
    const readOnly = pairs.find(p => p.permissionSetArn === PS.ReadOnlyAccess);
    expect(power?.otherApprovers).toBeGreaterThan(0);
    // no approval needed: nothing to count
    expect(readOnly?.otherApprovers).toBeUndefined();
  });
});
