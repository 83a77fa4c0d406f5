import {
  attributeEvent,
  isReservedRoleOf,
  isSessionOf,
  sessionOfEvent,
} from './activityAttribution';

const ACCOUNT = '111122223333';
const roleArn = (name: string) =>
  `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${name}_0123456789abcdef`;

function cloudTrailRecord(options: {
  role?: string;
  user?: string;
  issuedAt?: string;
  region?: string;
}) {
  return {
    awsRegion: options.region ?? 'eu-west-1',
    userIdentity: options.role
      ? {
          type: 'AssumedRole',
          principalId: `AROAEXAMPLE:${options.user ?? 'alice'}`,
          arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_${
            options.role
          }_0123456789abcdef/${options.user ?? 'alice'}`,
          sessionContext: {
            sessionIssuer: { type: 'Role', arn: roleArn(options.role) },
            attributes: options.issuedAt
              ? { creationDate: options.issuedAt, mfaAuthenticated: 'false' }
              : undefined,
          },
        }
      : {
          type: 'IAMUser',
          arn: `arn:aws:iam::${ACCOUNT}:user/${options.user ?? 'alice'}`,
        },
  };
}

describe('sessionOfEvent', () => {
  it('reads the reserved role, the role session, the issue time and the region', () => {
    expect(
      sessionOfEvent(
        cloudTrailRecord({
          role: 'PowerUserAccess',
          issuedAt: '2026-11-21T10:00:00Z',
          region: 'ap-southeast-2',
        }),
      ),
    ).toEqual({
      roleName: 'AWSReservedSSO_PowerUserAccess_0123456789abcdef',
      sessionName: 'alice',
      issuedAt: '2026-11-21T10:00:00.000Z',
      region: 'ap-southeast-2',
    });
  });

  it('finds no role for an IAM user, and survives records that are not CloudTrail', () => {
    expect(sessionOfEvent(cloudTrailRecord({})).roleName).toBeUndefined();
    expect(sessionOfEvent(undefined)).toEqual({
      roleName: undefined,
      sessionName: undefined,
      issuedAt: undefined,
      region: undefined,
    });
    expect(
      sessionOfEvent({
        userIdentity: { sessionContext: { attributes: { creationDate: 'x' } } },
      }).issuedAt,
    ).toBeUndefined();
  });
});

describe('isReservedRoleOf', () => {
  it('matches the whole permission set name, never a prefix of another', () => {
    const role = (name: string) => `AWSReservedSSO_${name}_0123456789abcdef`;
    expect(isReservedRoleOf(role('Admin'), 'Admin')).toBe(true);
    expect(isReservedRoleOf(role('Admin_ReadOnly'), 'Admin')).toBe(false);
    expect(isReservedRoleOf(role('AdminTools'), 'Admin')).toBe(false);
    expect(isReservedRoleOf(role('Admin'), 'Admin_ReadOnly')).toBe(false);
    expect(isReservedRoleOf('AWSReservedSSO_Admin_', 'Admin')).toBe(false);
    expect(isReservedRoleOf(undefined, 'Admin')).toBe(false);
  });

  it('is a session of the user only under their role session name', () => {
    const session = sessionOfEvent(
      cloudTrailRecord({ role: 'Admin', user: 'alice' }),
    );
    expect(isSessionOf(session, 'alice', 'Admin')).toBe(true);
    expect(isSessionOf(session, 'alice2', 'Admin')).toBe(false);
    expect(
      isSessionOf(sessionOfEvent(cloudTrailRecord({})), 'alice', 'Admin'),
    ).toBe(false);
  });
});

describe('attributeEvent', () => {
  // back-to-back sessions of one user and pair, then a later one
  const sessions = [
    {
      requestId: 'r1',
      grantedAt: '2026-11-21T09:00:00.000Z',
      endsAt: '2026-11-21T10:00:00.000Z',
    },
    {
      requestId: 'r2',
      grantedAt: '2026-11-21T10:00:00.000Z',
      endsAt: '2026-11-21T11:00:00.000Z',
    },
    {
      requestId: 'r3',
      grantedAt: '2026-11-21T13:00:00.000Z',
      endsAt: '2026-11-21T14:00:00.000Z',
    },
  ];
  const event = (eventTime: string, issuedAt?: string) => ({
    eventTime,
    session: { issuedAt },
  });

  it('gives an event to the session its credentials were issued in', () => {
    expect(
      attributeEvent(
        event('2026-11-21T10:20:00.000Z', '2026-11-21T09:50:00.000Z'),
        sessions,
      ),
    ).toEqual({ requestId: 'r1', afterEnd: true });
    expect(
      attributeEvent(
        event('2026-11-21T10:20:00.000Z', '2026-11-21T10:05:00.000Z'),
        sessions,
      ),
    ).toEqual({ requestId: 'r2', afterEnd: false });
  });

  it('gives events of credentials issued outside every window to nobody', () => {
    // issued between r2's end and r3's grant, used during r3
    expect(
      attributeEvent(
        event('2026-11-21T13:10:00.000Z', '2026-11-21T12:00:00.000Z'),
        sessions,
      ),
    ).toBeUndefined();
    // issued before any grant
    expect(
      attributeEvent(
        event('2026-11-21T09:10:00.000Z', '2026-11-21T08:59:59.000Z'),
        sessions,
      ),
    ).toBeUndefined();
  });

  it('falls back to the event time when the issue time is unknown', () => {
    expect(attributeEvent(event('2026-11-21T13:30:00.000Z'), sessions)).toEqual(
      { requestId: 'r3', afterEnd: false },
    );
    expect(
      attributeEvent(event('2026-11-21T12:30:00.000Z'), sessions),
    ).toBeUndefined();
  });

  it('picks one owner deterministically when legacy sessions overlap', () => {
    const overlapping = [
      {
        requestId: 'b',
        grantedAt: '2026-11-21T09:00:00.000Z',
        endsAt: '2026-11-21T12:00:00.000Z',
      },
      {
        requestId: 'a',
        grantedAt: '2026-11-21T09:00:00.000Z',
        endsAt: '2026-11-21T11:00:00.000Z',
      },
      {
        requestId: 'c',
        grantedAt: '2026-11-21T08:00:00.000Z',
        endsAt: '2026-11-21T09:30:00.000Z',
      },
    ];
    const at = event('2026-11-21T09:40:00.000Z', '2026-11-21T09:10:00.000Z');
    expect(attributeEvent(at, overlapping)?.requestId).toBe('c');
    expect(attributeEvent(at, [...overlapping].reverse())?.requestId).toBe('c');
    const later = event('2026-11-21T10:00:00.000Z', '2026-11-21T09:45:00.000Z');
    expect(attributeEvent(later, overlapping)?.requestId).toBe('a');
    expect(attributeEvent(later, [...overlapping].reverse())?.requestId).toBe(
      'a',
    );
  });
});
