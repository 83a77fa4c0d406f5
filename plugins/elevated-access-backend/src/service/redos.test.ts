import { ticketMatches } from '@elevated-access/backstage-plugin-elevated-access-common';
import { performance } from 'node:perf_hooks';
import { testDatabases } from '../__testUtils__/databases';
import { powerUserRequest, seedDemoPolicies } from '../__testUtils__/scenarios';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';
import { checkTicket } from '../domain/requestRules';

jest.setTimeout(60_000);

/**
 * Catastrophic for a backtracking engine: every way of splitting the letters
 * between the inner and outer `+` is tried before a miss is reported, so the
 * work doubles with each character (about 16 s at 30 characters in V8).
 */
const EVIL = '^([A-Z0-9]+)+-[0-9]+$';
// the longest ticket the schema allows (64), with no '-' so that nothing matches
const evilTicket = (i: number) => `${'A'.repeat(62)}${i}.`;

const databases = testDatabases();

/** ms, to one decimal place, for the log line. */
const ms = (t: number) => Math.round(t * 10) / 10;

describe('an admin ticket pattern cannot stall the server', () => {
  let api: ElevatedAccessTestBackend;

  beforeAll(async () => {
    api = await startElevatedAccess({ knex: await databases.init('SQLITE_3') });
    await seedDemoPolicies(api);
    const { body: current } = await api.get('dave', '/settings');
    const { updatedAt: _u, updatedBy: _b, ...settings } = current;
    const saved = await api.put('dave', '/settings', {
      ...settings,
      ticketPattern: EVIL,
    });
    if (saved.status !== 200) throw new Error(JSON.stringify(saved.body));
  });
  afterAll(() => api.stop());

  it('checks the worst tickets in linear time and answers health meanwhile', async () => {
    const timed = async <T>(call: PromiseLike<T>) => {
      const start = performance.now();
      const result = await call;
      return { result, ms: performance.now() - start };
    };
    // several requesters at once, each with the worst ticket
    const posts = [0, 1, 2, 3, 4, 5, 6, 7].map(i =>
      timed(
        api.post('alice', '/requests', {
          ...powerUserRequest,
          ticketId: evilTicket(i),
        }),
      ),
    );
    const health = await timed(api.get('none', '/health'));
    const done = await Promise.all(posts);

    // the check alone, in process, on the 30- and 64-character tickets
    const check = (ticket: string) => {
      const start = performance.now();
      expect(() => checkTicket(ticket, true, { ticketPattern: EVIL })).toThrow(
        `Invalid input: ticketId: "${ticket}" is not a valid ticket id. Check it in your ticket system`,
      );
      return performance.now() - start;
    };
    const check30 = check(`${'A'.repeat(29)}.`);
    const check64 = check(evilTicket(9));
    // what the backtracking engine does with the same pattern: each extra
    // character doubles the time (kept short so the test stays fast)
    const nativeMs = (n: number) => {
      const start = performance.now();
      new RegExp(EVIL).test(`${'A'.repeat(n)}.`);
      return performance.now() - start;
    };
    nativeMs(8); // warm up: compile the RegExp
    const native20 = nativeMs(20);
    const native24 = nativeMs(24);

    // eslint-disable-next-line no-console
    console.log(
      [
        `ReDoS figures (pattern ${EVIL}):`,
        `GET /health answered in ${ms(health.ms)} ms while ${
          posts.length
        } POST /requests with 64-character tickets were in flight;`,
        `those POSTs took ${ms(Math.min(...done.map(d => d.ms)))}-${ms(
          Math.max(...done.map(d => d.ms)),
        )} ms each end to end;`,
        `checkTicket with RE2: ${ms(check30)} ms (30 chars), ${ms(
          check64,
        )} ms (64 chars);`,
        `native RegExp for comparison: ${ms(native20)} ms (21 chars), ${ms(
          native24,
        )} ms (25 chars), doubling per character.`,
      ].join('\n'),
    );

    expect(health.result.status).toBe(200);
    expect(health.ms).toBeLessThan(2000);
    for (const { result } of done) {
      expect({
        status: result.status,
        message: result.body.error?.message,
      }).toEqual({
        status: 400,
        message: expect.stringMatching(
          /^Invalid input: ticketId: ".*" is not a valid ticket id/,
        ),
      });
    }
  });

  it('still accepts a ticket that matches', async () => {
    expect(ticketMatches(EVIL, 'A1B2-42')).toBe(true);
    const res = await api.post('alice', '/requests', {
      ...powerUserRequest,
      ticketId: 'A1B2C3-42',
    });
    expect(res.status).toBe(201);
    expect(res.body.ticketId).toBe('A1B2C3-42');
  });
});
