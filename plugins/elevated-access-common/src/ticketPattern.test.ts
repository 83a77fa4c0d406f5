import { settingsInputSchema } from './schemas';
import { ticketMatches, ticketPatternProblem } from './ticketPattern';

// catastrophic for a backtracking engine: ~16 s on a 30-character miss
const EVIL = '^([A-Z0-9]+)+-[0-9]+$';

describe('ticketMatches', () => {
  it('matches like RegExp.test for ordinary patterns', () => {
    const cases: Array<[string, string]> = [
      ['^[A-Z]+-\\d+$', 'OPS-12'],
      ['^[A-Z]+-\\d+$', 'ops-12'],
      ['^[A-Z]+-\\d+$', 'OPS-12x'],
      ['[0-9]{3}', 'INC0001234'],
      ['^(INC|CHG)[0-9]{7}$', 'CHG0001234'],
      ['^(INC|CHG)[0-9]{7}$', 'PRB0001234'],
      ['^(?<project>[A-Z]+)-\\d+$', 'OPS-1'],
      ['^https?://t\\.example\\.com/\\w+$', 'https://t.example.com/abc'],
      ['', 'anything'],
    ];
    for (const [pattern, ticket] of cases) {
      expect([pattern, ticket, ticketMatches(pattern, ticket)]).toEqual([
        pattern,
        ticket,
        new RegExp(pattern).test(ticket),
      ]);
    }
  });

  it('decides an evil pattern on a 30- and a 5,000-character ticket', () => {
    // correctness only: with a backtracking engine these would not return
    expect(ticketMatches(EVIL, `${'A'.repeat(30)}!`)).toBe(false);
    expect(ticketMatches(EVIL, `${'A1'.repeat(15)}-42`)).toBe(true);
    expect(ticketMatches(EVIL, `${'A'.repeat(5000)}!`)).toBe(false);
    expect(ticketMatches(EVIL, `${'A'.repeat(4990)}-1234`)).toBe(true);
    expect(ticketMatches('(a|aa)+$', `${'a'.repeat(5000)}b`)).toBe(false);
  });

  it('matches nothing with a pattern it cannot use', () => {
    expect(ticketMatches('(a)\\1', 'aa')).toBe(false);
    expect(ticketMatches('([', '([')).toBe(false);
  });
});

describe('ticketPatternProblem', () => {
  it('accepts what RE2 can match', () => {
    expect(ticketPatternProblem('^[A-Z]+-\\d+$')).toBeUndefined();
    expect(ticketPatternProblem(EVIL)).toBeUndefined();
  });

  it('names the feature RE2 cannot match safely', () => {
    expect(ticketPatternProblem('^(A+)-\\1$')).toBe(
      'The ticket pattern uses a feature (backreference \\1) that cannot be matched safely; write it without backreferences or lookarounds, e.g. ^[A-Z]+-[0-9]+$',
    );
    expect(ticketPatternProblem('^(?<p>A+)\\k<p>$')).toMatch(
      /^The ticket pattern uses a feature \(backreference \\k\)/,
    );
    expect(ticketPatternProblem('^(?=OPS)[A-Z]+-\\d+$')).toMatch(
      /^The ticket pattern uses a feature \(lookahead \(\?=\)/,
    );
    expect(ticketPatternProblem('^(?<!X)OPS-\\d+$')).toMatch(
      /^The ticket pattern uses a feature \(lookbehind \(\?<!\)/,
    );
    expect(ticketPatternProblem('^A{1001}$')).toMatch(
      /^The ticket pattern uses a feature \(invalid repeat count: \{1001\}\)/,
    );
  });

  it('says when a pattern is no regular expression at all', () => {
    expect(ticketPatternProblem('([')).toBe(
      'Ticket pattern is not a valid regular expression',
    );
  });

  it('is what the settings schema says', () => {
    const parsed = settingsInputSchema.safeParse({
      maxDurationMinutes: 480,
      approvalRequired: true,
      ticketRequired: true,
      ticketPattern: '^(OPS)-\\d+-\\1$',
      ticketLinkTemplate: null,
      commentRequiredOnReject: true,
      commentRequiredOnRevoke: true,
      pendingTimeoutMinutes: 1440,
      reminderBeforeExpiryMinutes: 15,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map(i => i.message)).toEqual([
      ticketPatternProblem('^(OPS)-\\d+-\\1$'),
    ]);
  });
});
