/*
 * The world a walk runs in: the backend (with a quiet activity source) and
 * its database, the break-glass policy the stories save, the clock, the
 * requests created so far, and the model of what the test's own successful
 * calls approved; plus what a step did (its Outcome).
 */
import { ActivitySource } from '@elevated-access/backstage-plugin-elevated-access-node';
import { InMemoryAccessProvider } from '@elevated-access/backstage-plugin-elevated-access-node/testUtils';
import { Knex } from 'knex';
import {
  DEMO_APPROVERS,
  DEMO_ELIGIBILITY,
  eligibilityPolicy,
} from '../fixtures';
import { clearDatabase } from '../snapshot';
import { ElevatedAccessTestBackend, startElevatedAccess } from '../testBackend';

/** The break-glass policy the stories turn to (the story's approvers review). */
export const BREAK_GLASS_POLICY = eligibilityPolicy({
  name: 'Developers break-glass power-use workloads',
  // never less demanding than "Developers power-use workloads" (4 h, approval,
  // ticket): requests without break-glass keep choosing that one
  ticketRequired: true,
  breakGlass: true,
});
/** Activity completes this long after the access ended (padding and settle). */
export const ACTIVITY_MINUTES = { padding: 5, settle: 5 };
/** Collects nothing: activity completes once padding and settle have passed. */
const quietActivity: ActivitySource = {
  id: 'quiet',
  // eslint-disable-next-line require-yield
  async *collect() {
    return;
  },
};

/** The backend the walks call, with the quiet activity source and its padding and settle. */
export function startLifecycleBackend(
  knex: Knex,
): Promise<ElevatedAccessTestBackend> {
  return startElevatedAccess({
    knex,
    activitySource: quietActivity,
    config: {
      aws: {
        activity: {
          paddingMinutes: ACTIVITY_MINUTES.padding,
          settleMinutes: ACTIVITY_MINUTES.settle,
        },
      },
    },
  });
}

// ---------------------------------------------------------------- the model

/** What the test's own successful calls say about a request. */
interface ModelRequest {
  requesterRef: string;
  duration: number;
  /** Each successful approval's minutes (the asked duration when none). */
  approvals: number[];
  /** Minutes of the extensions the calls saw approved. */
  extendedMinutes: number;
  /** The call asked for break-glass (and was answered 201). */
  breakGlass: boolean;
}
export type Model = Map<string, ModelRequest>;

/** The largest cap of any policy covering the permission set (and the global max, 8 h). */
export function largestCap(permissionSetArn: string): number {
  const caps = DEMO_ELIGIBILITY.filter(p =>
    p.permissionSets.includes(permissionSetArn),
  ).map(p => p.maxDurationMinutes ?? 0);
  return Math.min(8 * 60, Math.max(0, ...caps));
}

// ---------------------------------------------------------------- the world

/** Whatever AWS would see: calls made, assignments present, the plugin's ledger and session blocks. */
export interface AwsPicture {
  calls: number;
  live: number;
  ledger: number;
  blocks: number;
}

export interface World {
  api: ElevatedAccessTestBackend;
  knex: Knex;
  now: number;
  ids: string[];
  policy: { id: string; version: number };
  /** The break-glass policy, once a step created it. */
  breakGlassPolicy?: { id: string; version: number };
  model: Model;
}

/** What a step did, for the step checks and the coverage count. */
export interface Outcome {
  status: number;
  /** Kinds of success this step counts for (see COVERED). */
  labels?: string[];
  /** AWS before and after the HTTP call. */
  aws?: { before: AwsPicture; after: AwsPicture };
  /** The caller was the request's requester (a decision command). */
  byRequester?: boolean;
  /** The request had a pending extension just before the call. */
  hadPendingExtension?: boolean;
  /** The caller was not the requester (an extend command). */
  byOther?: boolean;
  /** A review: the request as the database and the caller saw it just before. */
  review?: {
    breakGlass: boolean;
    granted: boolean;
    reviewed: boolean;
    accessOver: boolean;
    activityComplete: boolean;
    /** What the caller's GET of the request said (absent when it could not see it). */
    awaitingReview?: boolean;
    canReview: boolean;
  };
}
export const ok = (status: number) => status >= 200 && status < 300;
export const bool = (v: unknown) => v === 1 || v === true;
/** Ended or revoked, or failed after the grant once the assignment was removed. */
export const accessIsOver = (r: {
  status: string;
  granted_at?: unknown;
  ended_at?: unknown;
}) =>
  r.status === 'ended' ||
  r.status === 'revoked' ||
  (r.status === 'error' && Boolean(r.granted_at) && Boolean(r.ended_at));
/** A fresh database with the demo policies, at 09:00. */
export async function newWorld(
  api: ElevatedAccessTestBackend,
  knex: Knex,
): Promise<World> {
  const now = new Date('2026-11-21T09:00:00Z').getTime();
  jest.setSystemTime(now);
  await clearDatabase(knex);
  (api.provider as InMemoryAccessProvider).assignments.clear();
  for (const p of DEMO_ELIGIBILITY) {
    await api.post('dave', '/policies/eligibility', p);
  }
  const policy = (
    await api.post('dave', '/policies/approval', DEMO_APPROVERS[0])
  ).body;
  return {
    api,
    knex,
    now,
    ids: [],
    policy: { id: policy.id, version: policy.version },
    model: new Map(),
  };
}
