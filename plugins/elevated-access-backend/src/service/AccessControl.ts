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
  PermissionCriteria,
  PolicyDecision,
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

/**
 * The permission framework's side of authorization: who is calling and what
 * their role allows. The plugin's own rules (eligibility, approver scope, no
 * self-approval, legal transitions) are checked after this, in the domain.
 */
export class AccessControl {
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
    const [decision] = await this.permissions.authorize([{ permission }], {
      credentials,
    });
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

  async requestDecision(
    permission: ElevatedAccessRequestPermission,
    credentials: BackstageCredentials,
  ): Promise<RequestPermissionDecision> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    return AccessControl.wrap(decision);
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
