/*
 * Walks: random commands with "stories" that take one request through its
 * whole life (so that extensions and N-of-M approvals are reached often), and
 * in a third of the walks a break-glass story as well.
 */
import fc from 'fast-check';
import { ACCOUNT, groupRef, Persona, PS, userRef } from '../fixtures';
import { Command, command, Decider, requesterPersona } from './commands';
import { ACTIVITY_MINUTES } from './world';
import { weighted } from './weighted';

/** A call now and then by someone who should be refused, or a rejection. */
const noise = fc.array(
  fc.record({
    reject: weighted([false, 1], [true, 1]),
    who: fc.constantFrom<Decider>('requester', 'requester', 'erin', 'frank'),
  }),
  { maxLength: 1 },
);
/** An approver's vote: the approvers of the story mostly approve. */
const vote = weighted(['approve' as const, 5], ['reject' as const, 1]);
/** A vote that may approve for a fraction of the asked duration. */
const shortenableVote = fc.record({
  decision: vote,
  shorten: fc.option(fc.constantFrom(0.25, 0.5, 0.75, 1, 1.5), { freq: 3 }),
});
const extensionVote = weighted(['approve' as const, 2], ['reject' as const, 1]);
const SINGLE = [groupRef('platform-leads')];
const TWO_OF = [groupRef('platform-leads'), userRef('carol')];
/**
 * One request walked through its life: maybe an N-of-M approver policy,
 * create, one or two approvals (maybe shortened, maybe by the requester),
 * the grant, an extension by the requester, and its decisions, maybe after the
 * access ended (the extension lapses).
 */
const story: fc.Arbitrary<Command[]> = fc
  .record({
    // one approver (bob), or two of bob and carol (N-of-M); the walk's own
    // approver-policy commands try the rest
    policy: fc.constantFrom('single', 'two', 'two'),
    who: requesterPersona,
    account: fc.constantFrom(
      ACCOUNT['payments-prod'],
      ACCOUNT['data-prod'],
      ACCOUNT['payments-dev'],
      ACCOUNT['data-dev'],
    ),
    ps: fc.constantFrom(
      PS.PowerUserAccess,
      PS.PowerUserAccess,
      PS.PowerUserAccess,
      PS.ReadOnlyAccess,
    ),
    // within PowerUserAccess's 4 h cap with room to extend (the walk's own
    // commands try the caps)
    duration: fc.constantFrom(30, 60, 60, 120),
    noise,
    // bob's vote, then carol's (a fraction of the asked duration: shorter,
    // the same, or longer)
    votes: fc.tuple(shortenableVote, shortenableVote),
    usedMinutes: fc.constantFrom(0, 5, 5, 20),
    // now and then the requester calls it off before the last vote (an
    // approved request is granted at once by the due timer: too late then)
    cancel: weighted([false, 4], [true, 1]),
    extendBy: fc.constantFrom(15, 30, 60, 60, 120, 180),
    extendAgain: weighted([false, 3], [true, 2]),
    lapseFirst: weighted([false, 2], [true, 1]),
    // the requester tries to decide their own extension first
    ownTry: fc.option(fc.constantFrom('approve' as const, 'reject' as const)),
    extensionNoise: noise,
    extensionVotes: fc.tuple(extensionVote, extensionVote),
    // and then an early end by a person, or the end passing (else the next
    // story of the same user and pair would overlap it and be refused)
    end: fc.constantFrom<Array<Persona | 'requester' | 'time'>>(
      'requester',
      'bob',
      'time',
      'time',
    ),
    // now and then an approver tries to review it, though it is not break-glass
    reviewTry: weighted([false, 2], [true, 1]),
  })
  .map(s => {
    const latest = 'latest' as const;
    const approvers: Persona[] =
      s.policy === 'single' ? ['bob'] : ['bob', 'carol'];
    const commands: Command[] = [
      {
        kind: 'approver-policy',
        who: 'dave',
        minApprovals: s.policy === 'two' ? 2 : 1,
        approvers: s.policy === 'two' ? TWO_OF : SINGLE,
      },
    ];
    commands.push({
      kind: 'create',
      who: s.who,
      account: s.account,
      ps: s.ps,
      duration: s.duration,
      ticket: true,
    });
    for (const n of s.noise) {
      commands.push({
        kind: n.reject ? 'reject' : 'approve',
        who: n.who,
        target: latest,
        comment: true,
        minutes: null,
      });
    }
    approvers.forEach((who, i) => {
      const v = s.votes[i];
      if (s.cancel && i === approvers.length - 1) {
        commands.push({ kind: 'cancel', who: 'requester', target: latest });
      }
      commands.push({
        kind: v.decision,
        who,
        target: latest,
        comment: v.decision === 'reject',
        minutes:
          v.decision === 'approve' && v.shorten !== null
            ? Math.ceil(s.duration * v.shorten)
            : null,
      });
    });
    // the grant, then some use
    commands.push(
      { kind: 'tick', minutes: 0 },
      { kind: 'tick', minutes: s.usedMinutes },
      { kind: 'extend', who: 'requester', target: latest, minutes: s.extendBy },
    );
    if (s.extendAgain) {
      commands.push({
        kind: 'extend',
        who: 'requester',
        target: latest,
        minutes: 15,
      });
    }
    if (s.ownTry) {
      commands.push({
        kind: `extension-${s.ownTry}`,
        who: 'requester',
        target: latest,
        comment: true,
      });
    }
    for (const n of s.extensionNoise) {
      commands.push({
        kind: n.reject ? 'extension-reject' : 'extension-approve',
        who: n.who,
        target: latest,
        comment: true,
      });
    }
    approvers.forEach((who, i) => {
      // the access may end before the last approver decides: it lapses
      if (s.lapseFirst && i === approvers.length - 1) {
        commands.push({ kind: 'tick', minutes: s.duration + 1 });
      }
      commands.push({
        kind: `extension-${s.extensionVotes[i]}`,
        who,
        target: latest,
        comment: true,
      });
    });
    if (s.end === 'time') {
      commands.push({ kind: 'tick', minutes: 8 * 60 });
    } else {
      commands.push({
        kind: 'revoke',
        who: s.end,
        target: latest,
        comment: true,
      });
    }
    if (s.reviewTry) {
      commands.push({
        kind: 'review',
        who: 'bob',
        target: latest,
        outcome: 'appropriate',
        comment: false,
      });
    }
    return commands;
  });
const often = weighted([true, 3], [false, 1]);
const nowAndThen = weighted([false, 2], [true, 1]);

/**
 * A break-glass request walked through its life: the story's approvers and
 * the break-glass policy, create (approved at once), maybe an approval tried,
 * the grant, a review tried while active, the end (revoked or passed), a
 * review tried while its activity is collected, the activity task, the
 * requester's own review tried, an approver's review and another's after it.
 */
const breakGlassStory: fc.Arbitrary<Command[]> = fc
  .record({
    policy: fc.constantFrom('single', 'two'),
    who: requesterPersona,
    account: fc.constantFrom(
      ACCOUNT['payments-prod'],
      ACCOUNT['data-prod'],
      ACCOUNT['payments-dev'],
      ACCOUNT['data-dev'],
    ),
    // within the break-glass cap (1 h)
    duration: fc.constantFrom(15, 30, 60, 60),
    approveTry: nowAndThen,
    end: fc.constantFrom<Array<Persona | 'requester' | 'time'>>(
      'requester',
      'bob',
      'time',
      'time',
    ),
    // one of the story's approvers, or the admin
    reviewer: fc.nat(),
    outcome: weighted(
      ['appropriate' as const, 3],
      ['inappropriate' as const, 1],
    ),
    // an inappropriate outcome without a comment is refused (bad input)
    comment: often,
  })
  .map(s => {
    const latest = 'latest' as const;
    const reviewers: Persona[] =
      s.policy === 'single' ? ['bob', 'dave'] : ['bob', 'carol', 'dave'];
    const reviewer = reviewers[s.reviewer % reviewers.length];
    const second = reviewers[(s.reviewer + 1) % reviewers.length];
    const review = (who: Decider): Command => ({
      kind: 'review',
      who,
      target: latest,
      outcome: s.outcome,
      comment: s.comment,
    });
    const commands: Command[] = [
      {
        kind: 'approver-policy',
        who: 'dave',
        minApprovals: s.policy === 'two' ? 2 : 1,
        approvers: s.policy === 'two' ? TWO_OF : SINGLE,
      },
      { kind: 'break-glass-policy', who: 'dave' },
      {
        kind: 'create',
        who: s.who,
        account: s.account,
        ps: PS.PowerUserAccess,
        duration: s.duration,
        ticket: true,
        breakGlass: true,
      },
    ];
    if (s.approveTry) {
      commands.push({
        kind: 'approve',
        who: 'bob',
        target: latest,
        comment: false,
        minutes: null,
      });
    }
    // the grant, and a review while active
    commands.push({ kind: 'tick', minutes: 0 }, review(reviewer));
    if (s.end === 'time') {
      commands.push({ kind: 'tick', minutes: 8 * 60 });
    } else {
      commands.push(
        { kind: 'revoke', who: s.end, target: latest, comment: true },
        // the assignment is removed: revoked
        { kind: 'tick', minutes: 0 },
      );
    }
    commands.push(
      review(reviewer),
      {
        kind: 'tick',
        minutes: ACTIVITY_MINUTES.padding + ACTIVITY_MINUTES.settle + 1,
      },
      { kind: 'activity' },
      review('requester'),
      review(reviewer),
      review(second),
    );
    return commands;
  });

// a third of the walks have a break-glass story somewhere, on top of the
// others (which keep their numbers, so their kinds of success stay as frequent)
export const walk = fc
  .record({
    chunks: fc.array(
      fc.oneof(
        { arbitrary: command.map(c => [c]), weight: 3 },
        { arbitrary: story, weight: 2 },
      ),
      { minLength: 2, maxLength: 8 },
    ),
    breakGlass: fc.oneof(
      { arbitrary: fc.constant(null), weight: 2 },
      {
        arbitrary: fc.record({ at: fc.nat(), story: breakGlassStory }),
        weight: 1,
      },
    ),
  })
  .map(({ chunks, breakGlass }) => {
    if (breakGlass) {
      chunks.splice(breakGlass.at % (chunks.length + 1), 0, breakGlass.story);
    }
    return chunks.flat();
  });
