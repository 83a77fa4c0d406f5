import {
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ConditionalPolicyDecision,
  Permission,
  PermissionCriteria,
  PolicyDecision,
  QueryPermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import { ElevatedAccessRequestPermission } from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  elevatedAccessRequestRules,
  ElevatedAccessRequestQuery,
  ElevatedAccessRequestResource,
} from '@elevated-access/backstage-plugin-elevated-access-node';
import { Request } from 'express';
import { Caller, normalizeRef, normalizeRefs } from '../domain/refs';

const rules = Object.values(elevatedAccessRequestRules);
const authorizeResource = createConditionAuthorizer(rules);
const toQuery = createConditionTransformer(rules);

/**
 * A kept-alive connection to the permission backend that was closed just as
 * it was reused (ECONNRESET, "socket hang up"; seen under load): the check
 * never got an answer, and asking once more on a new connection is safe, as
 * asking for a decision changes nothing.
 */
function droppedConnection(error: unknown): boolean {
  const e = error as
    | { code?: string; cause?: { code?: string }; message?: string }
    | undefined;
  return (
    e?.code === 'ECONNRESET' ||
    e?.cause?.code === 'ECONNRESET' ||
    /socket hang up/i.test(e?.message ?? '')
  );
}

/** The signed-in user making a call. */
export interface CallContext {
  credentials: BackstageCredentials<BackstageUserPrincipal>;
  caller: Caller;
}

/** A decision for one resource permission, evaluated once per call. */
export interface RequestPermissionDecision {
  /** Whether the decision lets the caller act on this request. */
  permits(resource: ElevatedAccessRequestResource): boolean;
  /** undefined: allow all; 'deny': nothing; otherwise an SQL-able filter. */
  filter: PermissionCriteria<ElevatedAccessRequestQuery> | undefined | 'deny';
}

/** A permission check waiting for its batch to go to the permission backend. */
interface PendingCheck {
  permission: Permission;
  resolve(decision: PolicyDecision): void;
  reject(error: unknown): void;
}

/**
 * The permission framework's side of authorization: who is calling and what
 * their role allows. The plugin's own rules (eligibility, approver scope, no
 * self-approval, legal transitions) are checked after this, in the domain.
 *
 * Checks for one caller started in the same tick (a view asks for read,
 * approve, revoke and admin side by side) go to the permission backend as
 * one batch: one HTTP call and one plugin token instead of four or five,
 * which under load was most of a list view's server time (`yarn bench http`).
 * A view that checks in several steps says up front what it will ask
 * (`prefetch`), and each answer is kept for the rest of the call: a
 * credentials object lives for one HTTP request, so one request asks the
 * permission backend once and sees one set of answers.
 */
export class AccessControl {
  private readonly batches = new WeakMap<
    BackstageCredentials,
    PendingCheck[]
  >();
  private readonly answered = new WeakMap<
    BackstageCredentials,
    Map<string, Promise<PolicyDecision>>
  >();

  constructor(
    private readonly httpAuth: HttpAuthService,
    private readonly userInfo: UserInfoService,
    private readonly permissions: PermissionsService,
  ) {}

  /** Every route but /health needs a signed-in user; services are refused. */
  async callContext(req: Request): Promise<CallContext> {
    const credentials = await this.httpAuth.credentials(req, {
      allow: ['user'],
    });
    const info = await this.userInfo.getUserInfo(credentials);
    // one spelling of each ref from here on: what is stored, compared in
    // the domain and in SQL (policies are saved the same way)
    return {
      credentials,
      caller: {
        userEntityRef: normalizeRef(info.userEntityRef),
        ownershipEntityRefs: normalizeRefs(info.ownershipEntityRefs),
      },
    };
  }

  async allows(
    permission: BasicPermission,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const decision = await this.decide(permission, credentials);
    return decision.result === AuthorizeResult.ALLOW;
  }

  async require(
    permission: BasicPermission,
    credentials: BackstageCredentials,
    message: string,
  ): Promise<void> {
    if (!(await this.allows(permission, credentials))) {
      throw new NotAllowedError(message);
    }
  }

  /** Passes when the caller holds at least one of the permissions. */
  async requireAny(
    permissions: BasicPermission[],
    credentials: BackstageCredentials,
    message: string,
  ): Promise<void> {
    const allowed = await Promise.all(
      permissions.map(p => this.allows(p, credentials)),
    );
    if (!allowed.some(Boolean)) throw new NotAllowedError(message);
  }

  async requestDecision(
    permission: ElevatedAccessRequestPermission,
    credentials: BackstageCredentials,
  ): Promise<RequestPermissionDecision> {
    return AccessControl.wrap(await this.decide(permission, credentials));
  }

  /**
   * Passes when the request permission allows `resource`; else a 403 in the
   * words of `refusal` (the rule's own).
   */
  async requirePermits(
    permission: ElevatedAccessRequestPermission,
    credentials: BackstageCredentials,
    resource: ElevatedAccessRequestResource,
    refusal: () => string,
  ): Promise<void> {
    const decision = await this.requestDecision(permission, credentials);
    if (!decision.permits(resource)) throw new NotAllowedError(refusal());
  }

  /**
   * Starts, as one batch, the checks a view is about to make one after
   * another; the view's own checks then take these answers. A failure is
   * reported to the check that asks for it.
   */
  prefetch(permissions: Permission[], credentials: BackstageCredentials): void {
    for (const permission of permissions) {
      this.decide(permission, credentials).catch(() => {});
    }
  }

  private decide(
    permission: Permission,
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision> {
    let answers = this.answered.get(credentials);
    if (!answers) {
      answers = new Map();
      this.answered.set(credentials, answers);
    }
    let answer = answers.get(permission.name);
    if (!answer) {
      answer = this.enqueue(permission, credentials);
      answers.set(permission.name, answer);
    }
    return answer;
  }

  private enqueue(
    permission: Permission,
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision> {
    let batch = this.batches.get(credentials);
    if (!batch) {
      const pending: PendingCheck[] = [];
      batch = pending;
      this.batches.set(credentials, pending);
      queueMicrotask(() => {
        this.batches.delete(credentials);
        this.send(pending, credentials);
      });
    }
    const checks = batch;
    return new Promise((resolve, reject) =>
      checks.push({ permission, resolve, reject }),
    );
  }

  private send(checks: PendingCheck[], credentials: BackstageCredentials) {
    // authorizeConditional is the query form of the same /authorize call: a
    // basic permission in it gets the policy's definitive ALLOW or DENY, as
    // authorize would give, so basic and resource checks share one batch
    const queries = checks.map(
      c => ({ permission: c.permission } as QueryPermissionRequest),
    );
    const ask = () =>
      this.permissions.authorizeConditional(queries, { credentials });
    ask()
      .catch(error =>
        droppedConnection(error) ? ask() : Promise.reject(error),
      )
      .then(
        decisions =>
          checks.forEach((check, i) =>
            decisions[i]
              ? check.resolve(decisions[i])
              : check.reject(
                  new Error(
                    'The permission backend answered fewer checks than were asked',
                  ),
                ),
          ),
        error => checks.forEach(check => check.reject(error)),
      );
  }

  private static wrap(decision: PolicyDecision): RequestPermissionDecision {
    if (decision.result === AuthorizeResult.ALLOW) {
      return { permits: () => true, filter: undefined };
    }
    if (decision.result === AuthorizeResult.DENY) {
      return { permits: () => false, filter: 'deny' };
    }
    const conditional = decision as ConditionalPolicyDecision;
    return {
      permits: resource => authorizeResource(conditional, resource),
      filter: toQuery(
        conditional.conditions,
      ) as PermissionCriteria<ElevatedAccessRequestQuery>,
    };
  }
}
