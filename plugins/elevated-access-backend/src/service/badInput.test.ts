import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import { ACCOUNT, DEMO_ELIGIBILITY, OU } from '../__testUtils__/fixtures';
import { describeEachDatabase } from '../__testUtils__/databases';
import { snapshotDatabase } from '../__testUtils__/snapshot';
import {
  days,
  Ids,
  setUpBadInputBackend,
  valid,
} from '../__testUtils__/badInput/harness';
import { BAD_INPUT_CASES } from '../__testUtils__/badInput/allCases';
import { createRouter, RouterOptions } from './router';

jest.setTimeout(120_000);

/*
 * Bad input as a whole: that every route taking a body has a refused case
 * (the cases run in badInput.refusals.test.ts), the 400 body's fields, a
 * body that is not JSON or too large, and free text stored verbatim.
 */

/** The POST and PUT routes the router serves, as `METHOD /pattern`. */
async function bodyRoutes(): Promise<string[]> {
  // The services are only reached by a request: listing routes needs none.
  const router = await createRouter({} as RouterOptions);
  return router.stack.flatMap(layer => {
    // Express keeps a route's methods on it; its types do not say so.
    const route = layer.route as
      | { path: string; methods: Record<string, boolean> }
      | undefined;
    return Object.keys(route?.methods ?? {})
      .filter(m => m === 'post' || m === 'put')
      .map(m => `${m.toUpperCase()} ${route!.path}`);
  });
}

const patternMatches = (route: string, method: string, path: string) => {
  const [routeMethod, pattern] = route.split(' ');
  const regex = new RegExp(`^${pattern.replace(/:[a-z]+/gi, '[^/]+')}$`);
  return routeMethod === method.toUpperCase() && regex.test(path.split('?')[0]);
};
const SAMPLE_IDS: Ids = {
  pending: 'p',
  approved: 'a',
  policy: 'x',
  eligibilityPolicy: 'e',
};

describeEachDatabase(
  'bad input is refused with a clear message and writes nothing',
  init => {
    const backend = setUpBadInputBackend(init);

    it('has a refused case for every route that takes a body', async () => {
      const uncovered = (await bodyRoutes()).filter(
        route =>
          !BAD_INPUT_CASES.some(c =>
            patternMatches(
              route,
              c.method,
              typeof c.path === 'function' ? c.path(SAMPLE_IDS) : c.path,
            ),
          ),
      );
      expect(uncovered).toEqual([]);
    });

    it('names the fields at fault in the 400 body, a message with "; " inside whole', async () => {
      const schema = await backend.api.post('alice', '/requests', {
        ...valid,
        durationMinutes: 0,
        justification: 'short',
        status: 'approved',
      });
      expect(schema.status).toBe(400);
      expect(schema.body.error).toEqual({
        name: 'InputError',
        message: expect.stringMatching(/^Invalid input: /),
        fields: {
          durationMinutes: 'Duration must be at least 1 minute',
          justification: 'Justification must be at least 10 characters',
          _: 'Unknown field: status',
        },
      });
      expect(schema.body.response).toEqual({ statusCode: 400 });

      const past = await backend.api.post('alice', '/requests', {
        ...valid,
        startTime: days(-1),
      });
      expect(past.status).toBe(400);
      expect(past.body.error.fields).toEqual({
        startTime: 'Start time is in the past; leave it empty to start now',
      });

      const policy = await backend.api.post('dave', '/policies/eligibility', {
        ...DEMO_ELIGIBILITY[0],
        name: 'Unknown targets',
        accounts: ['123456789012', ACCOUNT.management],
        ous: ['ou-zzzz-zzzzzzzz'],
      });
      expect(policy.status).toBe(400);
      // two problems with one field: both, one sentence after the other
      expect(policy.body.error.fields).toEqual({
        accounts: `Unknown account 123456789012. The management account ${ACCOUNT.management} cannot be granted through Elevated Access`,
        ous: 'Unknown OU ou-zzzz-zzzzzzzz',
      });
    });

    it('refuses a body that is not JSON, or too large, with a 400', async () => {
      const before = await snapshotDatabase(backend.knex);
      const server = request(backend.api.backend.server);
      const broken = await server
        .post('/api/elevated-access/requests')
        .set('Authorization', mockCredentials.user.header('user:default/alice'))
        .set('Content-Type', 'application/json')
        .send('{"accountId": "111111111111",');
      expect(broken.status).toBe(400);
      expect(broken.body.error.message).toBe(
        'The request body is not valid JSON',
      );
      const huge = await backend.api.post('alice', '/requests', {
        ...valid,
        justification: 'z'.repeat(70_000),
      });
      expect(huge.status).toBe(400);
      expect(huge.body.error.message).toBe(
        'The request body is larger than 64 kB',
      );
      expect(await snapshotDatabase(backend.knex)).toBe(before);
    });

    it('stores HTML, SQL and a formula in free text verbatim, and the CSV export keeps the formula inert', async () => {
      const text = `=HYPERLINK("https://evil.example","open") <img src=x onerror=alert(1)> '); DROP TABLE requests; -- ${OU.Workloads}`;
      const res = await backend.api.post('alice', '/requests', {
        ...valid,
        justification: text,
        // after any window of the other tests' requests for this pair
        startTime: new Date(Date.now() + 20 * 24 * 3600_000).toISOString(),
      });
      expect(res.status).toBe(201);
      const read = await backend.api.get('alice', `/requests/${res.body.id}`);
      expect(read.body.justification).toBe(text);
      // A spreadsheet shows the cell as text: a leading quote, CSV-quoted.
      const csv = await backend.api.get('carol', '/audit/requests.csv');
      expect(csv.status).toBe(200);
      const row = csv.text
        .split('\n')
        .find(line => line.startsWith(res.body.id));
      expect(row).toContain(`,"'${text.replace(/"/g, '""')}",`);
    });
  },
);
