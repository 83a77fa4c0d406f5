import fc from 'fast-check';
import { Knex } from 'knex';
import { describeEachDatabase } from '../__testUtils__/databases';
import { fakeDateOnly } from '../__testUtils__/fakeDate';
import {
  checkInvariants,
  loadState,
} from '../__testUtils__/lifecycleModel/invariants';
import { run } from '../__testUtils__/lifecycleModel/runners';
import { checkStep } from '../__testUtils__/lifecycleModel/stepChecks';
import { walk } from '../__testUtils__/lifecycleModel/stories';
import {
  newWorld,
  startLifecycleBackend,
} from '../__testUtils__/lifecycleModel/world';
import { ElevatedAccessTestBackend } from '../__testUtils__/testBackend';

jest.setTimeout(600_000);

/*
 * Random sequences of API calls by random personas, with time passing and the
 * lifecycle task running in between, plus "stories" that walk one request
 * through create → approve (N-of-M, shortened) → grant → extend → decide, so
 * that extensions are reached often; a third of the walks also take a
 * break-glass request through its grant, its end, its activity and its review
 * attempts (while active, while its activity is collected, by the requester,
 * then twice by approvers). After
 * every step:
 * - the database (INVARIANTS): the status history follows the transition
 *   table, every change has its event, nobody decides their own request or
 *   extension, one pending extension at a time, the shortest approval wins,
 *   the window from the grant is the approved duration plus the approved
 *   extensions, and never beyond the largest cap of a policy for the pair;
 *   a break-glass request has no decisions and keeps to its policy's cap; a
 *   review is on break-glass only, once, never by the requester, and only
 *   after the access ended and its activity was complete;
 * - the model (what the test's own successful calls approved): the window from
 *   the grant is exactly that, and a request is break-glass exactly when its
 *   call asked for it;
 * - the step (STEP_CHECKS): an extension call creates or deletes no AWS
 *   assignment, the requester's own decisions and reviews are refused, a
 *   second extension is refused while one is pending, a review succeeds
 *   exactly when the request said the caller could review it, the server
 *   never answers with a 5xx.
 * The walks must actually reach each kind of success (COVERED), and each
 * invariant is shown to fail on a state that breaks it.
 *
 * The commands, walks, runners, checks and invariants live in
 * src/__testUtils__/lifecycleModel/; the demonstrations that each invariant
 * and step check fails on a broken state are in
 * lifecycle.brokenStates.property.test.ts. To add a command: a member of
 * `Command` and its arbitrary in `command` (commands.ts), in a story if it
 * belongs to one (stories.ts), its runner in `RUNNERS` (runners.ts), and the
 * labels it reports in `COVERED` below.
 */

/** Each label must count at least one success over the walks on SQLite. */
const COVERED = [
  'create',
  'approve',
  'approve shortened',
  'approve vote (N-of-M)',
  'approve final of N-of-M',
  'N-of-M shortened: the shortest wins',
  'own request decision refused',
  'reject',
  'cancel',
  'revoke',
  'granted',
  'extend applied at once',
  'extend awaiting approval',
  'second extension refused',
  'extension approved',
  'extension approve vote (N-of-M)',
  'extension rejected',
  'own extension decision refused',
  'extension lapsed',
  'approver policy changed',
  // a third of the walks have a break-glass story, which tries each of these
  // (and the fixed scenario of lifecycle.brokenStates.property.test.ts
  // reaches each of them on every database)
  'break-glass policy saved',
  'break-glass created',
  'review before the end refused',
  'review before its activity is complete refused',
  'own review refused',
  'review accepted',
  'second review refused',
  'review of a request not break-glass refused',
];

/**
 * The labels that PostgreSQL's fewer walks must reach too (each seen about
 * ten times or more per run; the rarer ones are left to SQLite's count, and
 * the break-glass ones, in a third of the walks, to the fixed scenario of
 * lifecycle.brokenStates.property.test.ts).
 */
const COVERED_ON_POSTGRES = [
  'create',
  'approve',
  'approve vote (N-of-M)',
  'granted',
  'extend awaiting approval',
  'own extension decision refused',
  'approver policy changed',
  'review of a request not break-glass refused',
];

// ---------------------------------------------------------------- the tests

/** Fewer runs where every query crosses a socket. */
const RUNS = { SQLITE_3: 50, POSTGRES_15: 20 };

describeEachDatabase('the request lifecycle under random use', init => {
  let api: ElevatedAccessTestBackend;
  let knex: Knex;
  let runs: number;
  let covered: string[];

  beforeAll(async () => {
    knex = await init();
    const postgres = knex.client.config.client === 'pg';
    runs = postgres ? RUNS.POSTGRES_15 : RUNS.SQLITE_3;
    covered = postgres ? COVERED_ON_POSTGRES : COVERED;
    api = await startLifecycleBackend(knex);
  });
  afterAll(() => api.stop());
  beforeEach(() => fakeDateOnly());
  afterEach(() => jest.useRealTimers());

  it('keeps its invariants after every step, and reaches every kind of success', async () => {
    let steps = 0;
    const statuses = new Map<number, number>();
    const counts = new Map<string, number>(COVERED.map(k => [k, 0]));
    const count = (label: string, n = 1) =>
      counts.set(label, (counts.get(label) ?? 0) + n);
    await fc.assert(
      fc.asyncProperty(walk, async commands => {
        const w = await newWorld(api, knex);
        let state = await loadState(knex);
        for (const c of commands) {
          const outcome = await run(w, c);
          statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
          checkStep(c, outcome);
          state = await loadState(knex);
          checkInvariants(state, w.model);
          for (const label of outcome.labels ?? []) count(label);
          steps++;
        }
        count('granted', state.requests.filter(r => r.granted_at).length);
        count(
          'extension lapsed',
          [...state.extensions.values()]
            .flat()
            .filter(x => x.status === 'lapsed').length,
        );
      }),
      { numRuns: runs },
    );
    if (process.env.LIFECYCLE_PROPERTY_COUNTS) {
      // eslint-disable-next-line no-console
      console.log(
        JSON.stringify(
          {
            runs,
            steps,
            statuses: Object.fromEntries(statuses),
            counts: Object.fromEntries(counts),
          },
          null,
          1,
        ),
      );
    }
    // the walks really reached every kind of success and refusal
    expect(steps).toBeGreaterThan(runs * 5);
    const missing = covered.filter(k => !counts.get(k));
    expect({ missing, counts: Object.fromEntries(counts) }).toEqual({
      missing: [],
      counts: expect.anything(),
    });
    expect(statuses.get(403)).toBeGreaterThan(10);
    expect(statuses.get(409)).toBeGreaterThan(0);
  });
});
