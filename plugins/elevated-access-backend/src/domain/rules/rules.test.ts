import { ConflictError, NotAllowedError } from '@backstage/errors';
import { BUILT_IN_SETTINGS } from '../../config';
import { groupRef, ownershipOf, userRef } from '../../__testUtils__/fixtures';
import { assertCanCancel } from './cancel';
import { capabilitiesFor } from './capabilities';
import { assertCanDecide } from './decide';
import { assertCanReview } from './review';
import { assertCanRevoke } from './revoke';

const caller = (name: string) => ({
  userEntityRef: userRef(name),
  ownershipEntityRefs: ownershipOf(name),
});
const settings = { ...BUILT_IN_SETTINGS };
const NOW = new Date('2026-11-21T09:00:00Z');

describe('decisions, cancel and revoke', () => {
  const request = {
    requesterRef: userRef('alice'),
    status: 'pending' as const,
    approverRefs: [groupRef('platform-leads'), groupRef('developers')],
    accountName: 'payments-prod',
    permissionSetName: 'PowerUserAccess',
  };
  const current = [groupRef('platform-leads'), groupRef('developers')];
  const decide = (
    who: string,
    extra: Partial<Parameters<typeof assertCanDecide>[0]> = {},
  ) =>
    assertCanDecide({
      caller: caller(who),
      request,
      currentApproverRefs: current,
      alreadyDecided: false,
      decision: 'approve',
      settings,
      ...extra,
    });

  it('never lets the requester decide, even when in the approver group', () => {
    expect(() => decide('alice')).toThrow(
      'You cannot decide on your own request',
    );
    expect(() => decide('erin')).not.toThrow(); // a peer in the same group may
  });

  it('lets only approvers in the snapshot who are still approvers today decide', () => {
    expect(() => decide('bob')).not.toThrow();
    expect(() => decide('frank')).toThrow(NotAllowedError);
    expect(() =>
      decide('bob', { currentApproverRefs: [groupRef('developers')] }),
    ).toThrow(NotAllowedError);
  });

  it('refuses decisions on decided requests, second votes, and rejections without a reason', () => {
    expect(() =>
      decide('bob', { request: { ...request, status: 'approved' } }),
    ).toThrow(ConflictError);
    expect(() => decide('bob', { alreadyDecided: true })).toThrow(
      /already decided/,
    );
    expect(() => decide('bob', { decision: 'reject' })).toThrow(/Say why/);
    expect(() =>
      decide('bob', {
        decision: 'reject',
        settings: { ...settings, commentRequiredOnReject: false },
      }),
    ).not.toThrow();
  });

  it('lets only the requester cancel, while pending or approved', () => {
    expect(() => assertCanCancel(caller('alice'), request)).not.toThrow();
    expect(() => assertCanCancel(caller('bob'), request)).toThrow(
      NotAllowedError,
    );
    expect(() =>
      assertCanCancel(caller('alice'), { ...request, status: 'active' }),
    ).toThrow(ConflictError);
  });

  it('lets the requester, approvers in scope and admins revoke active access', () => {
    const active = { ...request, status: 'active' as const };
    const revoke = (who: string, isAdmin = false, status = active) =>
      assertCanRevoke({
        caller: caller(who),
        request: status,
        currentApproverRefs: current,
        isAdmin,
        comment: 'done',
        settings,
      });
    expect(() => revoke('alice')).not.toThrow();
    expect(() => revoke('bob')).not.toThrow();
    expect(() => revoke('dave', true)).not.toThrow();
    expect(() => revoke('frank')).toThrow(NotAllowedError);
    expect(() =>
      revoke('alice', false, { ...request, status: 'ended' as any }),
    ).toThrow(ConflictError);
    expect(() =>
      assertCanRevoke({
        caller: caller('bob'),
        request: active,
        currentApproverRefs: current,
        isAdmin: false,
        settings,
      }),
    ).toThrow(/Say why/);
  });

  it('reports the same capabilities the actions enforce', () => {
    const capabilities = (
      who: string,
      extra: Partial<Parameters<typeof capabilitiesFor>[0]> = {},
    ) =>
      capabilitiesFor({
        caller: caller(who),
        request,
        currentApproverRefs: current,
        alreadyDecided: false,
        isAdmin: false,
        permits: { approve: true, revoke: true },
        ...extra,
      });
    expect(capabilities('bob')).toEqual({
      canApprove: true,
      canReject: true,
      canCancel: false,
      canRevoke: false,
      canReview: false,
    });
    expect(capabilities('alice')).toEqual({
      canApprove: false,
      canReject: false,
      canCancel: true,
      canRevoke: false,
      canReview: false,
    });
    expect(
      capabilities('bob', { request: { ...request, status: 'active' } }),
    ).toMatchObject({ canApprove: false, canRevoke: true });
    expect(
      capabilities('bob', { permits: { approve: false, revoke: true } })
        .canApprove,
    ).toBe(false);
  });
});

describe('break-glass review', () => {
  const ended = {
    requesterRef: userRef('alice'),
    status: 'ended' as const,
    approverRefs: [groupRef('platform-leads')],
    accountName: 'payments-prod',
    permissionSetName: 'PowerUserAccess',
    breakGlass: true,
    grantedAt: NOW.toISOString(),
    endedAt: NOW.toISOString(),
    activityComplete: true,
  };
  const current = [groupRef('platform-leads')];
  const review = (
    who: string,
    request: Partial<typeof ended> & {
      review?: Parameters<typeof assertCanReview>[0]['request']['review'];
    } = {},
    isAdmin = false,
  ) =>
    assertCanReview({
      caller: caller(who),
      request: { ...ended, ...request },
      currentApproverRefs: current,
      isAdmin,
    });

  it('is reviewed once its access is over and its activity complete, by an approver other than the requester', () => {
    expect(() => review('bob')).not.toThrow();
    expect(() => review('alice')).toThrow(
      'Nobody reviews their own break-glass request',
    );
    expect(() => review('frank')).toThrow(NotAllowedError);
    expect(() => review('frank', {}, true)).not.toThrow();
    expect(() => review('bob', { breakGlass: false })).toThrow(
      'Only break-glass requests are reviewed',
    );
    expect(() => review('bob', { status: 'active' } as never)).toThrow(
      'Review once the access has ended: it is active',
    );
    expect(() => review('bob', { activityComplete: false })).toThrow(
      /still being collected/,
    );
    expect(() =>
      review('bob', {
        review: {
          reviewerRef: userRef('erin'),
          outcome: 'appropriate',
          createdAt: NOW.toISOString(),
        },
      }),
    ).toThrow('Already reviewed by erin: appropriate');
  });

  it('reports canReview by the same rules', () => {
    const can = (who: string, request = {}, approve = true) =>
      capabilitiesFor({
        caller: caller(who),
        request: { ...ended, ...request },
        currentApproverRefs: current,
        alreadyDecided: false,
        isAdmin: false,
        permits: { approve, revoke: true },
      }).canReview;
    expect(can('bob')).toBe(true);
    expect(can('alice')).toBe(false);
    expect(can('bob', {}, false)).toBe(false);
    expect(can('bob', { activityComplete: false })).toBe(false);
    expect(can('bob', { status: 'active' })).toBe(false);
  });
});
