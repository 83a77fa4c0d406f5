import {
  adminStatements,
  buildInlinePolicy,
  InlinePolicyTooLargeError,
  InlinePolicyUnreadableError,
  INLINE_POLICY_MAX_CHARS,
  ownStatements,
  parseSessionDuration,
  policyTime,
  SessionBlock,
  SID_PREFIX,
} from './sessionBlocks';

const ADMIN = {
  Version: '2012-10-17',
  Id: 'team-guardrails',
  Statement: [
    { Sid: 'NoBilling', Effect: 'Deny', Action: 'aws-portal:*', Resource: '*' },
    {
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: 'arn:aws:s3:::reports/*',
      Condition: { Bool: { 'aws:SecureTransport': 'true' } },
    },
  ],
};
const admin = JSON.stringify(ADMIN, null, 2);

const block = (
  accountId: string,
  userName: string,
  issuedBefore: string,
): SessionBlock => ({ accountId, userName, issuedBefore });

describe('session blocks in an inline policy', () => {
  it('adds one deny per account and user, scoped to sessions issued before the end, next to the admin statements', () => {
    const built = buildInlinePolicy(admin, [
      block('111111111111', 'alice', '2026-11-21T09:20:00.000Z'),
    ]);
    const doc = JSON.parse(built.document!);
    expect(built.mergedUsers).toBe(false);
    expect(doc.Id).toBe('team-guardrails');
    expect(adminStatements(built.document)).toEqual(ADMIN.Statement);
    expect(ownStatements(built.document)).toEqual([
      {
        Sid: expect.stringMatching(new RegExp(`^${SID_PREFIX}[A-Za-z0-9]+$`)),
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: {
          StringLike: { 'aws:userid': 'AROA*:alice' },
          StringEquals: { 'aws:PrincipalAccount': '111111111111' },
          DateLessThan: { 'aws:TokenIssueTime': '2026-11-21T09:20:00Z' },
        },
      },
    ]);
  });

  it('rounds the end up to the second, so a session issued in that second is denied too', () => {
    expect(policyTime('2026-11-21T09:20:00.001Z')).toBe('2026-11-21T09:20:01Z');
    expect(policyTime('2026-11-21T09:20:00.000Z')).toBe('2026-11-21T09:20:00Z');
  });

  it('keeps one statement per account and user (the latest end), distinct Sids', () => {
    const built = buildInlinePolicy(admin, [
      block('111111111111', 'alice', '2026-11-21T09:20:00Z'),
      block('111111111111', 'alice', '2026-11-21T10:20:00Z'),
      block('111111111111', 'bob', '2026-11-21T09:30:00Z'),
      block('222222222222', 'alice', '2026-11-21T09:40:00Z'),
    ]);
    const own = ownStatements(built.document);
    expect(own).toHaveLength(3);
    expect(new Set(own.map(s => s.Sid)).size).toBe(3);
    const times = own.map(s => [
      (s.Condition as any).StringEquals['aws:PrincipalAccount'],
      (s.Condition as any).StringLike['aws:userid'],
      (s.Condition as any).DateLessThan['aws:TokenIssueTime'],
    ]);
    expect(times).toEqual([
      ['111111111111', 'AROA*:alice', '2026-11-21T10:20:00Z'],
      ['111111111111', 'AROA*:bob', '2026-11-21T09:30:00Z'],
      ['222222222222', 'AROA*:alice', '2026-11-21T09:40:00Z'],
    ]);
  });

  it('replaces its own statements and never touches the admin ones; with no blocks left the admin document stays', () => {
    const withBlock = buildInlinePolicy(admin, [
      block('111111111111', 'alice', '2026-11-21T09:20:00Z'),
    ]).document!;
    const again = buildInlinePolicy(withBlock, [
      block('111111111111', 'alice', '2026-11-21T09:20:00Z'),
    ]);
    expect(again.document).toBe(withBlock);
    const lifted = buildInlinePolicy(withBlock, []);
    expect(JSON.parse(lifted.document!)).toEqual(ADMIN);
    // nothing of the plugin's: the admin's text is left exactly as it is
    expect(buildInlinePolicy(admin, []).document).toBe(admin);
  });

  it('adds an inline policy where there was none, and deletes it when its last block goes', () => {
    const built = buildInlinePolicy('', [
      block('111111111111', 'alice', '2026-11-21T09:20:00Z'),
    ]);
    expect(JSON.parse(built.document!).Statement).toHaveLength(1);
    expect(buildInlinePolicy(built.document, []).document).toBeUndefined();
    expect(buildInlinePolicy(undefined, []).document).toBeUndefined();
  });

  it('reads a single admin statement written as an object', () => {
    const single = JSON.stringify({
      Version: '2012-10-17',
      Statement: ADMIN.Statement[0],
    });
    const built = buildInlinePolicy(single, [
      block('111111111111', 'alice', '2026-11-21T09:20:00Z'),
    ]);
    expect(adminStatements(built.document)).toEqual([ADMIN.Statement[0]]);
    expect(JSON.parse(buildInlinePolicy(built.document, []).document!)).toEqual(
      { Version: '2012-10-17', Statement: [ADMIN.Statement[0]] },
    );
  });

  it('refuses to rewrite an inline policy it cannot read', () => {
    expect(() =>
      buildInlinePolicy('{"Version": "2012-10-17", ', [
        block('111111111111', 'alice', '2026-11-21T09:20:00Z'),
      ]),
    ).toThrow(InlinePolicyUnreadableError);
    expect(() => buildInlinePolicy('[1]', [])).toThrow(
      InlinePolicyUnreadableError,
    );
  });

  it('stays under the size limit: merges the users of each account under the latest end, then refuses', () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      block(
        String(100000000000 + (i % 3)),
        `user-${i}@example.com`,
        `2026-11-21T09:${String(i % 60).padStart(2, '0')}:00Z`,
      ),
    );
    const built = buildInlinePolicy(admin, many);
    expect(built.mergedUsers).toBe(true);
    expect(built.document!.length).toBeLessThanOrEqual(INLINE_POLICY_MAX_CHARS);
    const own = ownStatements(built.document);
    expect(own).toHaveLength(3);
    expect((own[0].Condition as any).StringLike['aws:userid']).toHaveLength(
      100,
    );
    expect((own[0].Condition as any).DateLessThan['aws:TokenIssueTime']).toBe(
      '2026-11-21T09:57:00Z', // the latest of that account's users (i % 3 === 0)
    );
    expect(adminStatements(built.document)).toEqual(ADMIN.Statement);
    // fine-grained while it fits
    expect(buildInlinePolicy(admin, many.slice(0, 10)).mergedUsers).toBe(false);
    // even merged it does not fit: nothing is built
    expect(() => buildInlinePolicy(admin, many, 2_000)).toThrow(
      InlinePolicyTooLargeError,
    );
  });

  it('reads session durations: PT1H when unset, the 12-hour maximum when unreadable', () => {
    expect(parseSessionDuration('PT1H')).toBe(3_600_000);
    expect(parseSessionDuration('PT12H')).toBe(12 * 3_600_000);
    expect(parseSessionDuration('PT1H30M')).toBe(90 * 60_000);
    expect(parseSessionDuration('PT45M')).toBe(45 * 60_000);
    expect(parseSessionDuration(undefined)).toBe(3_600_000);
    expect(parseSessionDuration('P1D')).toBe(12 * 3_600_000);
  });
});
