/*
 * What must hold of the database after every step of a walk (INVARIANTS),
 * read from one snapshot of the tables; each is shown to fail in
 * lifecycle.brokenStates.property.test.ts.
 */
import {
  findTransition,
  RequestStatus,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Knex } from 'knex';
import { ownershipOf } from '../fixtures';
import { runNamedChecks } from './namedChecks';
import {
  accessIsOver,
  ACTIVITY_MINUTES,
  bool,
  BREAK_GLASS_POLICY,
  largestCap,
  Model,
} from './world';

/** Every row the invariants read, grouped by request. */
export interface DbState {
  requests: any[];
  events: Map<string, any[]>;
  extensions: Map<string, any[]>;
  extensionVotes: Map<string, any[]>;
  decisions: Map<string, any[]>;
  approvers: Map<string, string[]>;
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (!map.has(k)) map.set(k, []);
    map.get(k)!.push(row);
  }
  return map;
}

/**
 * One snapshot of the tables (the due timer may be granting or ending
 * something meanwhile: the rows must all be from the same moment).
 */
export async function loadState(db: Knex): Promise<DbState> {
  const { requests, events, extensions, extensionVotes, decisions, approvers } =
    await db.transaction(
      async knex => ({
        requests: await knex('requests').select().orderBy('id'),
        events: await knex('events')
          .where({ entity_type: 'request' })
          .orderBy('id'),
        extensions: await knex('request_extensions').select(),
        extensionVotes: await knex('extension_decisions').select(),
        decisions: await knex('request_decisions').select(),
        approvers: await knex('request_approvers').select(),
      }),
      db.client.config.client === 'pg'
        ? { isolationLevel: 'repeatable read' }
        : undefined,
    );
  return {
    requests,
    events: groupBy(events, e => e.entity_id),
    extensions: groupBy(extensions, x => x.request_id),
    extensionVotes: groupBy(extensionVotes, v => v.extension_id),
    decisions: groupBy(decisions, d => d.request_id),
    approvers: new Map(
      [...groupBy(approvers, a => a.request_id)].map(([k, v]) => [
        k,
        v.map(a => a.approver_ref),
      ]),
    ),
  };
}

export const minutesBetween = (from: unknown, to: unknown) =>
  (new Date(to as string).getTime() - new Date(from as string).getTime()) /
  60_000;
const approvedExtensionMinutes = (s: DbState, id: string) =>
  (s.extensions.get(id) ?? [])
    .filter(x => x.status === 'approved')
    .reduce((sum, x) => sum + x.added_minutes, 0);
/** The user is among the snapshot's approvers, by name or by group. */
const inSnapshot = (approverRef: string, snapshot: string[]) =>
  ownershipOf(approverRef.split('/').pop()!).some(ref =>
    snapshot.includes(ref),
  );

// The checks below are named helpers that the tests call (and that a test
// feeds broken states); the rule cannot see that through an object.
/* eslint-disable jest/no-standalone-expect */

/** What must hold of the database after every step; each is shown to fail. */
export const INVARIANTS: Record<string, (s: DbState, m: Model) => void> = {
  'the status history follows the transition table, one event per change':
    s => {
      for (const r of s.requests) {
        let status: RequestStatus | null = null;
        for (const e of s.events.get(r.id) ?? []) {
          if (!e.to_status) continue;
          // each change starts where the last one ended, and is in the table
          expect({ request: r.id, from: e.from_status }).toEqual({
            request: r.id,
            from: status,
          });
          expect(findTransition(status, e.action, e.to_status)).toBeDefined();
          status = e.to_status;
        }
        expect(status).toBe(r.status);
      }
    },
  'every version bump (a change, a vote, an extension, a review) has its event':
    s => {
      for (const r of s.requests) {
        const events = s.events.get(r.id) ?? [];
        const changes = events.filter(
          e => e.to_status && e.action !== 'create',
        ).length;
        const votes = events.filter(e =>
          [
            'approve-vote',
            'extend',
            'extension-request',
            'extension-approve',
            'review',
          ].includes(e.action),
        ).length;
        expect({ request: r.id, bumps: r.version - 1 }).toEqual({
          request: r.id,
          bumps: changes + votes,
        });
      }
    },
  'one pending extension at a time, the one the request points to': s => {
    for (const r of s.requests) {
      const pending = (s.extensions.get(r.id) ?? []).filter(
        x => x.status === 'pending',
      );
      expect(pending.length).toBeLessThanOrEqual(1);
      expect(r.pending_extension_id ?? null).toBe(pending[0]?.id ?? null);
    }
  },
  'the requester asks for extensions and never decides them; only approvers of the extension do':
    s => {
      for (const r of s.requests) {
        for (const x of s.extensions.get(r.id) ?? []) {
          expect(x.requester_ref).toBe(r.requester_ref);
          const snapshot: string[] = JSON.parse(x.approver_refs);
          for (const v of s.extensionVotes.get(x.id) ?? []) {
            expect(v.approver_ref).not.toBe(r.requester_ref);
            expect(inSnapshot(v.approver_ref, snapshot)).toBe(true);
          }
        }
      }
    },
  'an extension that needs approval is approved by enough votes': s => {
    for (const r of s.requests) {
      for (const x of s.extensions.get(r.id) ?? []) {
        if (x.status !== 'approved' || !bool(x.approval_required)) continue;
        const approvals = (s.extensionVotes.get(x.id) ?? []).filter(
          v => v.decision === 'approve',
        ).length;
        expect(approvals).toBeGreaterThanOrEqual(x.min_approvals);
        expect(approvals).toBe(x.approvals);
      }
    }
  },
  'nobody decides their own request; only snapshot approvers, each with its event':
    s => {
      for (const r of s.requests) {
        const events = s.events.get(r.id) ?? [];
        const snapshot = s.approvers.get(r.id) ?? [];
        for (const d of s.decisions.get(r.id) ?? []) {
          expect(d.approver_ref).not.toBe(r.requester_ref);
          expect(inSnapshot(d.approver_ref, snapshot)).toBe(true);
          expect(
            events.some(
              e =>
                e.actor_ref === d.approver_ref &&
                ['approve', 'approve-vote', 'reject'].includes(e.action),
            ),
          ).toBe(true);
        }
      }
    },
  'the approvals counted are the votes, and an approved request has enough':
    s => {
      for (const r of s.requests) {
        const approvals = (s.decisions.get(r.id) ?? []).filter(
          d => d.decision === 'approve',
        ).length;
        expect(r.approvals).toBe(approvals);
        if (r.status === 'approved' && bool(r.approval_required)) {
          expect(approvals).toBeGreaterThanOrEqual(r.min_approvals);
        }
      }
    },
  'an approval may shorten, never lengthen: the shortest vote wins': s => {
    for (const r of s.requests) {
      const shortest = Math.min(
        r.duration_minutes,
        ...(s.decisions.get(r.id) ?? [])
          .filter(d => d.decision === 'approve' && d.duration_minutes)
          .map(d => d.duration_minutes),
      );
      // set by the final approval, whatever happened after it
      const approved = (s.events.get(r.id) ?? []).some(
        e => e.action === 'approve',
      );
      expect({ request: r.id, approved: r.approved_duration_minutes }).toEqual({
        request: r.id,
        approved: approved && shortest < r.duration_minutes ? shortest : null,
      });
    }
  },
  'the window from the grant is the approved duration plus the approved extensions':
    s => {
      for (const r of s.requests) {
        const extended = approvedExtensionMinutes(s, r.id);
        const length = minutesBetween(r.granted_at ?? r.start_time, r.end_time);
        if (r.granted_at) {
          expect(length).toBe(
            (r.approved_duration_minutes ?? r.duration_minutes) + extended,
          );
        } else {
          expect(length).toBeLessThanOrEqual(r.duration_minutes + extended);
        }
      }
    },
  'the end never exceeds the grant (or start) plus the largest cap of a policy for the pair':
    s => {
      for (const r of s.requests) {
        const cap = largestCap(r.permission_set_arn);
        const minutes = minutesBetween(
          r.granted_at ?? r.start_time,
          r.end_time,
        );
        expect({ request: r.id, minutes, cap }).toEqual({
          request: r.id,
          minutes: Math.min(minutes, cap),
          cap,
        });
        for (const x of s.extensions.get(r.id) ?? []) {
          expect(x.total_minutes).toBeLessThanOrEqual(
            largestCap(r.permission_set_arn),
          );
        }
      }
    },
  "the window from the grant is what the test's calls approved: the shortest approval plus the extensions":
    (s, m) => {
      for (const r of s.requests) {
        const mr = m.get(r.id);
        expect(mr).toBeDefined();
        expect(r.requester_ref).toBe(mr!.requesterRef);
        if (!r.granted_at) continue;
        expect({
          request: r.id,
          minutes: minutesBetween(r.granted_at, r.end_time),
        }).toEqual({
          request: r.id,
          minutes:
            Math.min(mr!.duration, ...mr!.approvals) + mr!.extendedMinutes,
        });
      }
    },
  "a request is break-glass exactly when the test's call asked for it": (
    s,
    m,
  ) => {
    for (const r of s.requests) {
      expect({ request: r.id, breakGlass: bool(r.break_glass) }).toEqual({
        request: r.id,
        breakGlass: m.get(r.id)?.breakGlass,
      });
    }
  },
  'a break-glass request is approved at once without any decision, now, with a ticket, within the break-glass cap':
    s => {
      for (const r of s.requests.filter(x => bool(x.break_glass))) {
        const [created] = s.events.get(r.id) ?? [];
        expect({
          request: r.id,
          created: created?.action,
          to: created?.to_status,
          approvalRequired: bool(r.approval_required),
          decisions: (s.decisions.get(r.id) ?? []).length,
          approvedDuration: r.approved_duration_minutes ?? null,
          ticket: Boolean(r.ticket_id),
          startsAtCreation: minutesBetween(r.created_at, r.start_time),
        }).toEqual({
          request: r.id,
          created: 'create',
          to: 'approved',
          approvalRequired: false,
          decisions: 0,
          approvedDuration: null,
          ticket: true,
          startsAtCreation: 0,
        });
        // the window beyond the extensions (judged by the usual policies)
        // keeps to the break-glass cap
        expect(r.duration_minutes).toBeLessThanOrEqual(
          BREAK_GLASS_POLICY.maxDurationMinutes,
        );
        expect(
          minutesBetween(r.granted_at ?? r.start_time, r.end_time) -
            approvedExtensionMinutes(s, r.id),
        ).toBeLessThanOrEqual(BREAK_GLASS_POLICY.maxDurationMinutes);
      }
    },
  'only a break-glass request has a review, at most one, recorded by its event':
    s => {
      for (const r of s.requests) {
        const reviews = (s.events.get(r.id) ?? []).filter(
          e => e.action === 'review',
        );
        expect({
          request: r.id,
          reviews: reviews.map(e => e.actor_ref),
        }).toEqual({
          request: r.id,
          reviews: r.review_outcome ? [r.reviewer_ref] : [],
        });
        if (r.review_outcome) expect(bool(r.break_glass)).toBe(true);
      }
    },
  'the reviewer is never the requester': s => {
    for (const r of s.requests.filter(x => x.review_outcome)) {
      expect(r.reviewer_ref).not.toBe(r.requester_ref);
    }
  },
  'a review comes after the access ended and its activity was complete': s => {
    for (const r of s.requests.filter(x => x.review_outcome)) {
      expect({
        request: r.id,
        over: accessIsOver(r),
        activityComplete: bool(r.activity_complete),
      }).toEqual({ request: r.id, over: true, activityComplete: true });
      // activity completes only once padding and settle passed after the end
      expect(minutesBetween(r.ended_at, r.reviewed_at)).toBeGreaterThanOrEqual(
        ACTIVITY_MINUTES.padding + ACTIVITY_MINUTES.settle,
      );
      // and its event follows the last change of status
      const events = s.events.get(r.id) ?? [];
      const lastChange = events
        .map(e => Boolean(e.to_status))
        .lastIndexOf(true);
      const review = events.findIndex(e => e.action === 'review');
      expect(review).toBeGreaterThan(lastChange);
    }
  },
};

/* eslint-enable jest/no-standalone-expect */

export function checkInvariants(s: DbState, m: Model) {
  runNamedChecks(INVARIANTS, s, m);
}
