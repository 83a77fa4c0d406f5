import {
  REQUEST_STATUSES,
  RequestCapabilities,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { BUILT_IN_SETTINGS } from '../../config';
import { groupRef, ownershipOf, userRef } from '../../__testUtils__/fixtures';
import { assertCanCancel } from './cancel';
import { capabilitiesFor } from './capabilities';
import { assertCanDecide } from './decide';
import { assertCanReview } from './review';
import { assertCanRevoke } from './revoke';

/** Every combination of the given choices. */
function product<T extends Record<string, readonly unknown[]>>(
  choices: T,
): Array<{ [K in keyof T]: T[K][number] }> {
  return Object.entries(choices).reduce<Array<Record<string, unknown>>>(
    (combos, [key, values]) =>
      combos.flatMap(combo =>
        values.map(value => ({ ...combo, [key]: value })),
      ),
    [{}],
  ) as Array<{ [K in keyof T]: T[K][number] }>;
}

const passes = (action: () => void) => {
  try {
    action();
    return true;
  } catch {
    return false;
  }
};

const NOW = '2026-11-21T09:00:00Z';
const PLATFORM = groupRef('platform-leads');
const DEVELOPERS = groupRef('developers');

/**
 * The requester (alice, a developer), a peer developer (erin), an approver
 * (bob, platform-leads), someone else's approver (frank) and an admin who
 * approves nothing (dave; isAdmin varies on its own).
 */
const CALLERS = ['alice', 'erin', 'bob', 'frank', 'dave'];

/**
 * What a review looks at, in the situations that tell its rule's answers
 * apart (each review fact alone, rather than all their combinations).
 */
const BREAK_GLASS_SITUATIONS = [
  {
    breakGlass: false,
    activityComplete: true,
    reviewed: false,
    granted: 'ended',
  },
  {
    breakGlass: true,
    activityComplete: true,
    reviewed: false,
    granted: 'ended',
  },
  {
    breakGlass: true,
    activityComplete: false,
    reviewed: false,
    granted: 'ended',
  },
  {
    breakGlass: true,
    activityComplete: true,
    reviewed: true,
    granted: 'ended',
  },
  // granted, not ended (an error before the assignment was removed)
  { breakGlass: true, activityComplete: true, reviewed: false, granted: 'yes' },
  { breakGlass: true, activityComplete: true, reviewed: false, granted: 'no' },
] as const;

const cases = product({
  caller: CALLERS,
  status: REQUEST_STATUSES,
  snapshot: [[PLATFORM, DEVELOPERS], [PLATFORM]],
  current: [[PLATFORM, DEVELOPERS], [PLATFORM], []],
  alreadyDecided: [false, true],
  isAdmin: [false, true],
  approve: [false, true],
  revoke: [false, true],
  situation: BREAK_GLASS_SITUATIONS,
} as const);

/** The facts of a case, as the rules and capabilitiesFor take them. */
function factsOf(c: (typeof cases)[number]) {
  return {
    caller: {
      userEntityRef: userRef(c.caller),
      ownershipEntityRefs: ownershipOf(c.caller),
    },
    request: {
      requesterRef: userRef('alice'),
      status: c.status,
      approverRefs: [...c.snapshot],
      accountName: 'payments-prod',
      permissionSetName: 'PowerUserAccess',
      breakGlass: c.situation.breakGlass,
      activityComplete: c.situation.activityComplete,
      grantedAt: c.situation.granted === 'no' ? undefined : NOW,
      endedAt: c.situation.granted === 'ended' ? NOW : undefined,
      review: c.situation.reviewed
        ? {
            reviewerRef: userRef('erin'),
            outcome: 'appropriate' as const,
            createdAt: NOW,
          }
        : undefined,
    },
    currentApproverRefs: [...c.current],
    alreadyDecided: c.alreadyDecided,
    isAdmin: c.isAdmin,
  };
}

/** What the actions allow: the permission each asks, then what it enforces. */
function actionsAllow(
  c: (typeof cases)[number],
  facts: ReturnType<typeof factsOf>,
): RequestCapabilities {
  const { caller, request, currentApproverRefs, isAdmin } = facts;
  // a comment, so that the settings' comment rules never decide a capability
  const input = { comment: 'why', settings: BUILT_IN_SETTINGS };
  const decide = (decision: 'approve' | 'reject') =>
    passes(() => assertCanDecide({ ...facts, ...input, decision }));
  return {
    canApprove: c.approve && decide('approve'),
    canReject: c.approve && decide('reject'),
    canCancel: c.revoke && passes(() => assertCanCancel(caller, request)),
    canRevoke:
      c.revoke &&
      passes(() =>
        assertCanRevoke({
          caller,
          request,
          currentApproverRefs,
          isAdmin,
          ...input,
        }),
      ),
    canReview:
      c.approve &&
      passes(() =>
        assertCanReview({ caller, request, currentApproverRefs, isAdmin }),
      ),
  };
}

describe('capabilitiesFor', () => {
  it('reports exactly what the actions allow, for every status, caller, role and permission', () => {
    const seen: Record<string, Set<boolean>> = {};
    const differences: unknown[] = [];
    for (const c of cases) {
      const facts = factsOf(c);
      const expected = actionsAllow(c, facts);
      const reported = capabilitiesFor({
        ...facts,
        permits: { approve: c.approve, revoke: c.revoke },
      });
      for (const [name, value] of Object.entries(expected)) {
        (seen[name] ??= new Set()).add(value);
      }
      if (JSON.stringify(reported) !== JSON.stringify(expected)) {
        differences.push({ case: c, reported, expected });
      }
    }
    // the first few, enough to see which rule and which facts
    expect(differences.slice(0, 3)).toEqual([]);
    // the cases reach both answers for every capability
    expect(seen).toEqual({
      canApprove: new Set([false, true]),
      canReject: new Set([false, true]),
      canCancel: new Set([false, true]),
      canRevoke: new Set([false, true]),
      canReview: new Set([false, true]),
    });
  });

  it('does not offer a review of a request whose break-glass mark it was not given', () => {
    expect(
      capabilitiesFor({
        caller: {
          userEntityRef: userRef('bob'),
          ownershipEntityRefs: ownershipOf('bob'),
        },
        request: {
          requesterRef: userRef('alice'),
          status: 'ended',
          approverRefs: [PLATFORM],
          accountName: 'payments-prod',
          permissionSetName: 'PowerUserAccess',
        },
        currentApproverRefs: [PLATFORM],
        alreadyDecided: false,
        isAdmin: true,
        permits: { approve: true, revoke: true },
      }).canReview,
    ).toBe(false);
  });
});
