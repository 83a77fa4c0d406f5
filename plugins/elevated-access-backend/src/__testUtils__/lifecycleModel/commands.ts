/*
 * The commands a random walk through the request lifecycle is made of, and
 * the arbitrary that draws one at random (mostly plausible calls, with every
 * persona still showing up). To add a command: a member of `Command`, its
 * arbitrary in `command` (and in a story, ./stories.ts, if it belongs to one),
 * its runner in ./runners.ts, and the labels it reports in the property
 * test's `COVERED`.
 */
import fc from 'fast-check';
import { ACCOUNT, groupRef, Persona, PERSONAS, PS, userRef } from '../fixtures';
import { weighted } from './weighted';

/** A request the command acts on: the latest created, or one by index. */
export type Target = number | 'latest';
/** Who decides: a persona, or whoever asked for the request. */
export type Decider = Persona | 'requester';

export type Command =
  | {
      kind: 'create';
      who: Persona;
      account: string;
      ps: string;
      duration: number;
      ticket: boolean;
      startIn?: number;
      /** Approved at once under a policy that allows it, reviewed afterwards. */
      breakGlass?: boolean;
    }
  | {
      kind: 'approve' | 'reject';
      who: Decider;
      target: Target;
      comment: boolean;
      /** An approval for this many minutes (shortening, or not). */
      minutes: number | null;
    }
  | { kind: 'cancel'; who: Decider; target: Target }
  | { kind: 'revoke'; who: Decider; target: Target; comment: boolean }
  | { kind: 'tick'; minutes: number }
  | {
      kind: 'extend';
      /** The requester (the plausible caller), or someone else. */
      who: Decider;
      target: Target;
      minutes: number;
    }
  | {
      kind: 'extension-approve' | 'extension-reject';
      who: Decider;
      target: Target;
      comment: boolean;
    }
  | {
      kind: 'approver-policy';
      who: Persona;
      minApprovals: number;
      approvers: string[];
    }
  /** The world's break-glass policy for PowerUserAccess, created or saved again. */
  | { kind: 'break-glass-policy'; who: Persona }
  /** The activity task, as the scheduler runs it. */
  | { kind: 'activity' }
  | {
      kind: 'review';
      who: Decider;
      target: Target;
      outcome: 'appropriate' | 'inappropriate';
      comment: boolean;
    };

const persona = fc.constantFrom(...PERSONAS);
// mostly plausible calls, with every persona still showing up
export const requesterPersona = fc.constantFrom<Persona>('alice', 'erin');
const requester = fc.oneof(
  { arbitrary: requesterPersona, weight: 5 },
  { arbitrary: persona, weight: 1 },
);
const approverPersona = fc.constantFrom<Persona>('bob', 'erin', 'carol');
const decider: fc.Arbitrary<Decider> = fc.oneof(
  { arbitrary: approverPersona, weight: 4 },
  { arbitrary: persona, weight: 1 },
  { arbitrary: fc.constant('requester' as const), weight: 1 },
);
const target: fc.Arbitrary<Target> = fc.oneof(
  { arbitrary: fc.nat(20), weight: 3 },
  { arbitrary: fc.constant('latest' as const), weight: 1 },
);
const APPROVER_CHOICES = [
  groupRef('platform-leads'),
  groupRef('developers'),
  userRef('carol'),
];
const approverPolicy = fc.record({
  kind: fc.constant('approver-policy' as const),
  who: fc.constantFrom<Persona>('dave', 'dave', 'bob'),
  minApprovals: fc.constantFrom(1, 2),
  approvers: fc.subarray(APPROVER_CHOICES, { minLength: 1 }),
});

export const command: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      who: requester,
      account: fc.constantFrom(
        ACCOUNT['payments-prod'],
        ACCOUNT['payments-prod'],
        ACCOUNT['data-dev'],
        ACCOUNT.audit,
      ),
      ps: fc.constantFrom(
        PS.PowerUserAccess,
        PS.PowerUserAccess,
        PS.ReadOnlyAccess,
        PS.AdministratorAccess,
      ),
      duration: fc.constantFrom(-5, 0, 30, 60, 60, 120, 240, 241),
      ticket: weighted([true, 4], [false, 1]),
      startIn: fc.option(fc.constantFrom(-60, 0, 30, 120), { nil: undefined }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'approve' as const,
        'approve' as const,
        'reject' as const,
      ),
      who: decider,
      target,
      comment: fc.boolean(),
      minutes: fc.option(fc.integer({ min: 1, max: 300 })),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      who: fc.oneof(
        { arbitrary: fc.constant('requester' as const), weight: 3 },
        { arbitrary: persona, weight: 1 },
      ),
      target,
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('revoke' as const),
      who: fc.oneof(
        { arbitrary: fc.constant('requester' as const), weight: 2 },
        { arbitrary: fc.constantFrom<Persona>('bob', 'dave'), weight: 2 },
        { arbitrary: persona, weight: 1 },
      ),
      target,
      comment: fc.boolean(),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('extend' as const),
      who: fc.oneof(
        { arbitrary: fc.constant('requester' as const), weight: 2 },
        { arbitrary: requester, weight: 1 },
      ),
      target,
      minutes: fc.constantFrom(0, 15, 60, 180, 500),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'extension-approve' as const,
        'extension-approve' as const,
        'extension-reject' as const,
      ),
      who: decider,
      target,
      comment: fc.boolean(),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      minutes: fc.constantFrom(0, 1, 20, 90, 600, 1500),
    }),
    weight: 2,
  },
  { arbitrary: approverPolicy, weight: 1 },
);
