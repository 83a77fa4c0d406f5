import { Knex } from 'knex';
import { describeEachDatabase } from '../__testUtils__/databases';
import { fakeDateOnly } from '../__testUtils__/fakeDate';
import { ACCOUNT, groupRef, PS, userRef } from '../__testUtils__/fixtures';
import {
  Command,
  Decider,
  Target,
} from '../__testUtils__/lifecycleModel/commands';
import {
  checkInvariants,
  DbState,
  INVARIANTS,
  loadState,
  minutesBetween,
} from '../__testUtils__/lifecycleModel/invariants';
import { run } from '../__testUtils__/lifecycleModel/runners';
import {
  checkStep,
  STEP_CHECKS,
} from '../__testUtils__/lifecycleModel/stepChecks';
import {
  Model,
  newWorld,
  Outcome,
  startLifecycleBackend,
} from '../__testUtils__/lifecycleModel/world';
import { ElevatedAccessTestBackend } from '../__testUtils__/testBackend';

jest.setTimeout(600_000);

/*
 * The lifecycle property test's checks can fail: one fixed scenario (through
 * every kind of step the walks take) passes them, and each invariant and each
 * step check throws on a copy of its state or outcome broken on purpose.
 */

describeEachDatabase('the request lifecycle under random use', init => {
  let api: ElevatedAccessTestBackend;
  let knex: Knex;

  beforeAll(async () => {
    knex = await init();
    api = await startLifecycleBackend(knex);
  });
  afterAll(() => api.stop());
  beforeEach(() => fakeDateOnly());
  afterEach(() => jest.useRealTimers());

  it('has invariants that fail on a state that breaks them', async () => {
    // one request through a two-approver shortened approval, the grant and
    // an extension approved by two votes (the requester's own vote refused);
    // one read-only request extended at once; one break-glass request
    // approved at once, its review refused while active, while its activity
    // is collected and to its requester, then accepted once
    const w = await newWorld(api, knex);
    const review = (
      who: Decider,
      on: Target = 'latest',
      outcome: 'appropriate' | 'inappropriate' = 'appropriate',
    ): Command => ({ kind: 'review', who, target: on, outcome, comment: true });
    const steps: Command[] = [
      {
        kind: 'approver-policy',
        who: 'dave',
        minApprovals: 2,
        approvers: [groupRef('platform-leads'), userRef('carol')],
      },
      {
        kind: 'create',
        who: 'alice',
        account: ACCOUNT['payments-prod'],
        ps: PS.PowerUserAccess,
        duration: 120,
        ticket: true,
      },
      {
        kind: 'approve',
        who: 'bob',
        target: 'latest',
        comment: false,
        minutes: 90,
      },
      {
        kind: 'approve',
        who: 'carol',
        target: 'latest',
        comment: false,
        minutes: 60,
      },
      { kind: 'tick', minutes: 0 },
      { kind: 'extend', who: 'requester', target: 'latest', minutes: 60 },
      {
        kind: 'extension-approve',
        who: 'requester',
        target: 'latest',
        comment: false,
      },
      {
        kind: 'extension-approve',
        who: 'bob',
        target: 'latest',
        comment: false,
      },
      {
        kind: 'extension-approve',
        who: 'carol',
        target: 'latest',
        comment: false,
      },
      {
        kind: 'create',
        who: 'erin',
        account: ACCOUNT['data-dev'],
        ps: PS.ReadOnlyAccess,
        duration: 60,
        ticket: false,
      },
      { kind: 'tick', minutes: 0 },
      { kind: 'extend', who: 'requester', target: 'latest', minutes: 30 },
      { kind: 'break-glass-policy', who: 'dave' },
      {
        kind: 'create',
        who: 'alice',
        account: ACCOUNT['payments-dev'],
        ps: PS.PowerUserAccess,
        duration: 60,
        ticket: true,
        breakGlass: true,
      },
      {
        kind: 'approve',
        who: 'bob',
        target: 'latest',
        comment: false,
        minutes: null,
      },
      // the read-only request
      review('bob', 1),
      { kind: 'tick', minutes: 0 },
      review('bob'),
      { kind: 'tick', minutes: 61 },
      review('bob'),
      { kind: 'tick', minutes: 11 },
      { kind: 'activity' },
      review('requester'),
      review('bob', 'latest', 'inappropriate'),
      review('carol'),
    ];
    const outcomes: Array<[Command, Outcome]> = [];
    for (const c of steps) outcomes.push([c, await run(w, c)]);
    expect(outcomes.map(([, o]) => [o.status, ...(o.labels ?? [])])).toEqual([
      [200, 'approver policy changed'],
      [201, 'create'],
      [200, 'approve', 'approve shortened', 'approve vote (N-of-M)'],
      [
        200,
        'approve',
        'approve shortened',
        'approve final of N-of-M',
        'N-of-M shortened: the shortest wins',
      ],
      [0],
      [202, 'extend awaiting approval'],
      [403, 'own extension decision refused'],
      [200, 'extension approve vote (N-of-M)'],
      [200, 'extension approved'],
      [201, 'create'],
      [0],
      [200, 'extend applied at once'],
      [201, 'break-glass policy saved'],
      [201, 'create', 'break-glass created'],
      [409],
      [409, 'review of a request not break-glass refused'],
      [0],
      [409, 'review before the end refused'],
      [0],
      [409, 'review before its activity is complete refused'],
      [0],
      [0],
      [403, 'own review refused'],
      [200, 'review accepted'],
      [409, 'second review refused'],
    ]);
    for (const [c, o] of outcomes) checkStep(c, o);
    const state = await loadState(knex);
    checkInvariants(state, w.model);
    const [power, readOnly, glass] = w.ids;
    expect(
      minutesBetween(
        state.requests.find(r => r.id === power).granted_at,
        state.requests.find(r => r.id === power).end_time,
      ),
    ).toBe(60 + 60);

    const broken = (name: string, corrupt: (s: DbState, m: Model) => void) => {
      const s = structuredClone(state);
      const m = structuredClone(w.model);
      corrupt(s, m);
      expect(() => INVARIANTS[name](s, m)).toThrow();
      expect(() => INVARIANTS[name](state, w.model)).not.toThrow();
    };
    const req = (s: DbState, id: string) => s.requests.find(r => r.id === id);
    const plus = (t: unknown, minutes: number) =>
      new Date(new Date(t as string).getTime() + minutes * 60_000);

    broken(
      'the status history follows the transition table, one event per change',
      s => {
        req(s, power).status = 'ended';
      },
    );
    broken(
      'every version bump (a change, a vote, an extension, a review) has its event',
      s => {
        req(s, readOnly).version += 1;
      },
    );
    broken(
      'one pending extension at a time, the one the request points to',
      s => {
        const [x] = s.extensions.get(power)!;
        s.extensions
          .get(power)!
          .push({ ...x, id: 'second', status: 'pending' });
        s.extensions.get(power)!.push({ ...x, id: 'third', status: 'pending' });
      },
    );
    broken(
      'the requester asks for extensions and never decides them; only approvers of the extension do',
      s => {
        const [x] = s.extensions.get(power)!;
        s.extensionVotes.get(x.id)![0].approver_ref = userRef('alice');
      },
    );
    broken(
      'an extension that needs approval is approved by enough votes',
      s => {
        const [x] = s.extensions.get(power)!;
        s.extensionVotes.set(x.id, s.extensionVotes.get(x.id)!.slice(1));
      },
    );
    broken(
      'nobody decides their own request; only snapshot approvers, each with its event',
      s => {
        s.decisions.get(power)![0].approver_ref = userRef('alice');
      },
    );
    broken(
      'the approvals counted are the votes, and an approved request has enough',
      s => {
        s.decisions.set(power, s.decisions.get(power)!.slice(1));
      },
    );
    broken(
      'an approval may shorten, never lengthen: the shortest vote wins',
      s => {
        req(s, power).approved_duration_minutes = 90;
      },
    );
    broken(
      'the window from the grant is the approved duration plus the approved extensions',
      s => {
        const x = s.extensions.get(power)!.find(e => e.status === 'approved');
        x.added_minutes = 30;
      },
    );
    broken(
      'the end never exceeds the grant (or start) plus the largest cap of a policy for the pair',
      s => {
        const r = req(s, power);
        // beyond PowerUserAccess's 4 h, within ReadOnlyAccess's 8 h
        r.end_time = plus(r.granted_at, 4 * 60 + 15);
      },
    );
    broken(
      "the window from the grant is what the test's calls approved: the shortest approval plus the extensions",
      (_s, m) => {
        // as if the 90-minute vote had won
        m.get(power)!.approvals = [90];
      },
    );
    broken(
      "a request is break-glass exactly when the test's call asked for it",
      (_s, m) => {
        m.get(glass)!.breakGlass = false;
      },
    );
    const bgApproved =
      'a break-glass request is approved at once without any decision, now, with a ticket, within the break-glass cap';
    broken(bgApproved, s => {
      const [d] = s.decisions.get(power)!;
      s.decisions.set(glass, [{ ...d, request_id: glass }]);
    });
    broken(bgApproved, s => {
      req(s, glass).start_time = plus(req(s, glass).created_at, 30);
    });
    broken(bgApproved, s => {
      // within the usual 4 h cap, beyond the break-glass hour
      req(s, glass).duration_minutes = 90;
    });
    broken(bgApproved, s => {
      const r = req(s, glass);
      r.end_time = plus(r.granted_at, 90);
    });
    const oneReview =
      'only a break-glass request has a review, at most one, recorded by its event';
    broken(oneReview, s => {
      // a review of the read-only request, event and all
      const [event] = s.events.get(glass)!.filter(e => e.action === 'review');
      Object.assign(req(s, readOnly), {
        review_outcome: 'appropriate',
        reviewer_ref: event.actor_ref,
      });
      s.events.get(readOnly)!.push({ ...event, entity_id: readOnly });
    });
    broken(oneReview, s => {
      const [event] = s.events.get(glass)!.filter(e => e.action === 'review');
      s.events.get(glass)!.push({ ...event, id: event.id + 1000 });
    });
    broken('the reviewer is never the requester', s => {
      const r = req(s, glass);
      r.reviewer_ref = r.requester_ref;
    });
    const afterActivity =
      'a review comes after the access ended and its activity was complete';
    broken(afterActivity, s => {
      req(s, glass).activity_complete = false;
    });
    broken(afterActivity, s => {
      const r = req(s, glass);
      r.reviewed_at = plus(r.ended_at, 5);
    });
    broken(afterActivity, s => {
      const events = s.events.get(glass)!;
      const reviewAt = events.findIndex(e => e.action === 'review');
      const [event] = events.splice(reviewAt, 1);
      events.splice(1, 0, event);
    });

    const step = (name: string, c: Command, o: Outcome) =>
      expect(() => STEP_CHECKS[name](c, o)).toThrow();
    const aws = { calls: 2, live: 1, ledger: 1, blocks: 0 };
    const [extendCall] = outcomes.find(([c]) => c.kind === 'extend')!;
    step('an extension call creates or deletes no AWS assignment', extendCall, {
      status: 200,
      aws: { before: aws, after: { ...aws, calls: 3 } },
    });
    step('an extension call creates or deletes no AWS assignment', extendCall, {
      status: 202,
      aws: { before: aws, after: { ...aws, live: 0, ledger: 0 } },
    });
    step(
      'the requester never decides their own request or extension',
      steps[6],
      { status: 200, byRequester: true, hadPendingExtension: true },
    );
    step(
      'the requester never decides their own request or extension',
      steps[2],
      { status: 409, byRequester: true },
    );
    step(
      'only the requester extends, and not while an extension is pending',
      extendCall,
      { status: 202, hadPendingExtension: true },
    );
    step(
      'only the requester extends, and not while an extension is pending',
      extendCall,
      { status: 200, byOther: true },
    );
    step(
      'the server never answers with a 5xx (0: a step without an HTTP call)',
      extendCall,
      { status: 500 },
    );
    const [ownReview, ownReviewOutcome] = outcomes.find(([, o]) =>
      o.labels?.includes('own review refused'),
    )!;
    step('the requester never reviews their own request', ownReview, {
      ...ownReviewOutcome,
      status: 200,
    });
    step('the requester never reviews their own request', ownReview, {
      ...ownReviewOutcome,
      status: 409,
    });
    const [accepted, acceptedOutcome] = outcomes.find(([, o]) =>
      o.labels?.includes('review accepted'),
    )!;
    const offered =
      'a review succeeds exactly when the request said the caller could review it; it awaits review from the grant until reviewed';
    const seen = acceptedOutcome.review!;
    step(offered, accepted, {
      ...acceptedOutcome,
      review: { ...seen, canReview: false },
    });
    step(offered, accepted, {
      ...acceptedOutcome,
      status: 409,
    });
    step(offered, accepted, {
      ...acceptedOutcome,
      review: { ...seen, activityComplete: false, canReview: true },
    });
    step(offered, accepted, {
      ...acceptedOutcome,
      review: { ...seen, awaitingReview: false },
    });
  });
});
