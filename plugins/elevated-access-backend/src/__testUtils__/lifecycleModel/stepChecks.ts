/*
 * What must hold of each step's answer (STEP_CHECKS), whatever the state the
 * walk is in; each is shown to fail in lifecycle.brokenStates.property.test.ts.
 */
import { Command } from './commands';
import { runNamedChecks } from './namedChecks';
import { ok, Outcome } from './world';

/** Kinds whose call must never create or delete an AWS assignment. */
const NO_AWS: ReadonlySet<Command['kind']> = new Set([
  'extend',
  'extension-approve',
  'extension-reject',
]);

/** What must hold of one step's answer, whatever the state. */
export const STEP_CHECKS: Record<string, (c: Command, o: Outcome) => void> = {
  'the server never answers with a 5xx (0: a step without an HTTP call)': (
    _c,
    o,
  ) => {
    expect([0, 200, 201, 202, 400, 403, 404, 409]).toContain(o.status);
  },
  'an extension call creates or deletes no AWS assignment': (c, o) => {
    if (NO_AWS.has(c.kind)) {
      expect(o.aws).toBeDefined();
      expect(o.aws!.after).toEqual(o.aws!.before);
    }
  },
  'the requester never decides their own request or extension': (c, o) => {
    if (!o.byRequester) return;
    if (['approve', 'reject'].includes(c.kind)) {
      expect(o.status).toBe(403);
    }
    if (['extension-approve', 'extension-reject'].includes(c.kind)) {
      // with nothing pending it may be "nothing to decide"; never a success
      expect(o.hadPendingExtension ? [403] : [403, 404]).toContain(o.status);
    }
  },
  'only the requester extends, and not while an extension is pending': (
    c,
    o,
  ) => {
    if (c.kind !== 'extend') return;
    if (o.byOther || o.hadPendingExtension) expect(ok(o.status)).toBe(false);
    // bad input is refused before anything else
    if (o.byOther) expect([400, 403, 404]).toContain(o.status);
  },
  'the requester never reviews their own request': (c, o) => {
    if (c.kind !== 'review' || !o.byRequester) return;
    expect(ok(o.status)).toBe(false);
    // not break-glass may be said first; bad input is refused before anything
    if (o.review?.breakGlass) expect([400, 403]).toContain(o.status);
  },
  'a review succeeds exactly when the request said the caller could review it; it awaits review from the grant until reviewed':
    (c, o) => {
      if (c.kind !== 'review') return;
      expect(o.review).toBeDefined();
      const r = o.review!;
      // bad input (an inappropriate outcome without a comment) comes first
      if (o.status !== 400) {
        expect({ status: o.status, canReview: r.canReview }).toEqual({
          status: o.status,
          canReview: ok(o.status),
        });
      }
      if (ok(o.status)) {
        expect(r).toMatchObject({
          breakGlass: true,
          reviewed: false,
          accessOver: true,
          activityComplete: true,
        });
      }
      if (r.awaitingReview !== undefined) {
        expect(r.awaitingReview).toBe(r.breakGlass && r.granted && !r.reviewed);
      }
    },
};
export function checkStep(c: Command, o: Outcome) {
  runNamedChecks(STEP_CHECKS, c, o);
}
