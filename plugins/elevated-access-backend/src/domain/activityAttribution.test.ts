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
  /** 2026-11-21 at `time` (hh:mm:ss) UTC. */
  const at = (time: string) => `2026-11-21T${time}.000Z`;
  const session = (requestId: string, grantedAt: string, endsAt: string) => ({
    requestId,
    grantedAt: at(grantedAt),
    endsAt: at(endsAt),
  });
  // back-to-back sessions of one user and pair, then a later one
  const sessions = [
    session('r1', '09:00:00', '10:00:00'),
    session('r2', '10:00:00', '11:00:00'),
    session('r3', '13:00:00', '14:00:00'),
  ];
  const event = (eventTime: string, issuedAt?: string) => ({
    eventTime,
    session: { issuedAt },
  });
  /** Who `sessions` gives an event at `eventTime` to. */
  const ownerOf = (eventTime: string, issuedAt?: string) =>
    attributeEvent(event(eventTime, issuedAt), sessions);

  it('gives an event to the session its credentials were issued in', () => {
    expect(ownerOf(at('10:20:00'), at('09:50:00'))).toEqual({
      requestId: 'r1',
      afterEnd: true,
    });
    expect(ownerOf(at('10:20:00'), at('10:05:00'))).toEqual({
      requestId: 'r2',
      afterEnd: false,
    });
  });

  it('gives events of credentials issued outside every window to nobody', () => {
    // issued between r2's end and r3's grant, used during r3
    expect(ownerOf(at('13:10:00'), at('12:00:00'))).toBeUndefined();
    // issued before any grant
    expect(ownerOf(at('09:10:00'), at('08:59:59'))).toBeUndefined();
  });

  it('falls back to the event time when the issue time is unknown', () => {
    expect(ownerOf(at('13:30:00'))).toEqual({
      requestId: 'r3',
      afterEnd: false,
    });
    expect(ownerOf(at('12:30:00'))).toBeUndefined();
  });

  it('picks one owner deterministically when legacy sessions overlap', () => {
    const overlapping = [
      session('b', '09:00:00', '12:00:00'),
      session('a', '09:00:00', '11:00:00'),
      session('c', '08:00:00', '09:30:00'),
    ];
    const earlier = event(at('09:40:00'), at('09:10:00'));
    expect(attributeEvent(earlier, overlapping)?.requestId).toBe('c');
    expect(attributeEvent(earlier, [...overlapping].reverse())?.requestId).toBe(
      'c',
    );
    const later = event(at('10:00:00'), at('09:45:00'));
    expect(attributeEvent(later, overlapping)?.requestId).toBe('a');
    expect(attributeEvent(later, [...overlapping].reverse())?.requestId).toBe(
      'a',
    );
  });
});
