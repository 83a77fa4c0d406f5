import { tallyVote } from './voteTally';

const request = {
  approvals: 0,
  minApprovals: 2,
  durationMinutes: 60,
  startTime: new Date('2026-11-21T09:00:00Z'),
};

describe('tallyVote', () => {
  it('rejects on one rejection, with the comment', () => {
    expect(
      tallyVote({
        decision: 'reject',
        comment: 'Not now',
        request,
        shortenedVotes: [],
      }),
    ).toEqual({ kind: 'rejected', message: 'Rejected: Not now' });
  });

  it('counts approvals below the minimum without approving', () => {
    expect(
      tallyVote({
        decision: 'approve',
        durationMinutes: 30,
        request,
        shortenedVotes: [30],
      }),
    ).toEqual({
      kind: 'counted',
      approvals: 1,
      message: 'Approval 1 of 2 for 30 min (1 h asked)',
    });
  });

  it('approves on the vote that reaches the minimum, for the shortest duration given', () => {
    expect(
      tallyVote({
        decision: 'approve',
        comment: 'ok',
        request: { ...request, approvals: 1 },
        shortenedVotes: [45, 30],
      }),
    ).toEqual({
      kind: 'approved',
      approvals: 2,
      approvedMinutes: 30,
      endTime: new Date('2026-11-21T09:30:00Z'),
      message: 'Approved: ok',
    });
  });

  it('keeps the asked window when nobody shortened it', () => {
    const outcome = tallyVote({
      decision: 'approve',
      request: { ...request, minApprovals: 1 },
      shortenedVotes: [],
    });
    expect(outcome).toEqual({
      kind: 'approved',
      approvals: 1,
      message: 'Approved',
    });
  });
});
