/**
 * Which access session made a CloudTrail event. Pure: no I/O.
 *
 * An Identity Center session runs as the reserved role of its permission set,
 * `AWSReservedSSO_<PermissionSetName>_<hex suffix>`, under a role session
 * named after the Identity Center user. The credentials carry the time they
 * were issued (`sessionContext.attributes.creationDate`); that time, not the
 * event's, says which grant the session came from: an event made after the
 * grant ended with credentials issued during it still belongs to that grant,
 * and one made with credentials issued before a grant (or after it ended)
 * belongs to none of this grant's events.
 */

/** What an event says about the credentials that made it. */
export interface EventSession {
  /** The name of the role that issued the session (none for IAM users, root, services). */
  roleName?: string;
  /** The role session name: the Identity Center user for reserved roles. */
  sessionName?: string;
  /** When the session's credentials were issued (ISO). */
  issuedAt?: string;
  /** The event's region (`awsRegion`). */
  region?: string;
}

/** One access session that may have made events: a granted request. */
export interface SessionWindow {
  requestId: string;
  /** When the assignment was granted (ISO). */
  grantedAt: string;
  /** When access ended or is due to end (ISO). */
  endsAt: string;
}

export interface Attribution {
  requestId: string;
  /** Made after the access ended, with a session issued while it lasted. */
  afterEnd: boolean;
}

const asString = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Reads the session facts from a raw CloudTrail record. */
export function sessionOfEvent(raw: unknown): EventSession {
  const record = (raw ?? {}) as Record<string, any>;
  const identity = (record.userIdentity ?? {}) as Record<string, any>;
  const context = (identity.sessionContext ?? {}) as Record<string, any>;
  const issuer = (context.sessionIssuer ?? {}) as Record<string, any>;
  const issuerArn = asString(issuer.arn);
  const roleName =
    asString(issuer.userName) ??
    (issuerArn ? issuerArn.split('/').pop() : undefined);
  // arn:aws:sts::<account>:assumed-role/<role>/<session name>
  const assumedArn = asString(identity.arn);
  const sessionName =
    assumedArn && assumedArn.includes(':assumed-role/')
      ? assumedArn.split('/').slice(2).join('/')
      : asString(identity.principalId)?.split(':')[1];
  const created = asString(context.attributes?.creationDate);
  const issuedAt =
    created && !Number.isNaN(Date.parse(created))
      ? new Date(created).toISOString()
      : undefined;
  return {
    roleName: roleName || undefined,
    sessionName: sessionName || undefined,
    issuedAt,
    region: asString(record.awsRegion),
  };
}

/**
 * Whether a role is exactly the reserved role of the permission set: the
 * whole name up to a hex suffix, so `Admin` matches neither `Admin_ReadOnly`
 * nor `AdminTools`.
 */
export function isReservedRoleOf(
  roleName: string | undefined,
  permissionSetName: string,
): boolean {
  const prefix = `AWSReservedSSO_${permissionSetName}_`;
  if (!roleName || !roleName.startsWith(prefix)) return false;
  return /^[0-9a-f]+$/i.test(roleName.slice(prefix.length));
}

/**
 * Whether an event was made by the user's session of the permission set.
 * Events without a role issuer (an IAM user of the same name, the root user)
 * are never attributed.
 */
export function isSessionOf(
  session: EventSession,
  userName: string,
  permissionSetName: string,
): boolean {
  if (!isReservedRoleOf(session.roleName, permissionSetName)) return false;
  // Role session names are case-sensitive; Identity Center uses the user name.
  return session.sessionName === undefined || session.sessionName === userName;
}

/** Plain code-unit order, the same on every replica and in every locale. */
function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * The session an event belongs to: the one whose access window contains the
 * time its credentials were issued. Several can only contain it with legacy
 * overlapping data; the earliest granted wins (then the smallest id), so
 * every collector picks the same one.
 */
export function attributeEvent(
  event: { eventTime: string; session: EventSession },
  sessions: SessionWindow[],
): Attribution | undefined {
  // Without an issue time, the event's own time is the best evidence.
  const issued = Date.parse(event.session.issuedAt ?? event.eventTime);
  if (Number.isNaN(issued)) return undefined;
  const owner = sessions
    .filter(
      s => Date.parse(s.grantedAt) <= issued && issued < Date.parse(s.endsAt),
    )
    .sort(
      (a, b) =>
        Date.parse(a.grantedAt) - Date.parse(b.grantedAt) ||
        compareIds(a.requestId, b.requestId),
    )[0];
  if (!owner) return undefined;
  return {
    requestId: owner.requestId,
    afterEnd: Date.parse(event.eventTime) >= Date.parse(owner.endsAt),
  };
}
