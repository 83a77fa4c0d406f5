import {
  AuditorService,
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  AccessProvider,
  ActivitySource,
  ElevatedAccessRequestResource,
} from '@elevated-access/backstage-plugin-elevated-access-node';
import express from 'express';
import { Knex } from 'knex';
import { ElevatedAccessConfig } from '../config';
import { InsightsStore } from '../database/InsightsStore';
import { ActivityStore } from '../database/ActivityStore';
import { applyMigrations } from '../database/migrations';
import { PolicyStore } from '../database/PolicyStore';
import { DatabaseRequestStore, toResource } from '../database/RequestStore';
import { SettingsStore } from '../database/SettingsStore';
import { LifecycleJob } from '../jobs/LifecycleJob';
import { ExpiryStep } from '../jobs/ExpiryStep';
import { ActivityStep } from '../jobs/ActivityStep';
import { GrantStep } from '../jobs/GrantStep';
import { RevokeStep } from '../jobs/RevokeStep';
import { ProvisioningDeps } from '../jobs/ProvisioningStep';
import { ReconcileStep } from '../jobs/ReconcileStep';
import { DueTimer } from '../jobs/DueTimer';
import { durationToMilliseconds } from '@backstage/types';
import {
  EndSessionsStep,
  hasPermissionSetPolicies,
} from '../jobs/EndSessionsStep';
import { SessionBlockStore } from '../database/SessionBlockStore';
import { AssignmentLedger } from '../database/AssignmentLedger';
import { PrincipalResolver } from './PrincipalResolver';
import { randomUUID } from 'node:crypto';
import { AccessControl } from './AccessControl';
import { CatalogApproverDirectory } from './ApproverDirectory';
import { CatalogAccountCatalog } from './AccountCatalog';
import { EntityAccessService } from './EntityAccessService';
import { EligibilityRechecker } from './EligibilityRechecker';
import { CatalogRequesterDirectory } from './RequesterDirectory';
import { AuditService } from './AuditService';
import { AuditHistoryService } from './AuditHistoryService';
import { AuditHistoryStore } from '../database/AuditHistoryStore';
import { Clock, systemClock } from './Clock';
import { CatalogEntityChecker, PolicyService } from './PolicyService';
import { NotificationChannel, RequestNotifier } from './RequestNotifier';
import { SlackWebhookChannel } from '../notify/SlackWebhookChannel';
import { RequestService } from './RequestService';
import { ExtensionService } from './ExtensionService';
import { ExtensionStore } from '../database/ExtensionStore';
import { EndsSoonStep } from '../jobs/EndsSoonStep';
import { ReviewReminderStep } from '../jobs/ReviewReminderStep';
import { createRouter } from './router';
import { SettingsService } from './SettingsService';
import { TargetsService } from './TargetsService';
import { createAwsAccess } from './createAwsAccess';

export interface ElevatedAccessDeps {
  config: ElevatedAccessConfig;
  knex: Knex;
  skipMigrations?: boolean;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  auth: AuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
  notifications?: NotificationService;
  signals?: SignalsService;
  accessProvider?: AccessProvider;
  activitySource?: ActivitySource;
  clock?: Clock;
  /** This replica's name in leases (default: random per process). */
  instanceId?: string;
  /** Lease length of lifecycle work (default 30 s, renewed by heartbeats). */
  leaseMs?: number;
  /** How long an operation waits for another's assignment lock (default 5 s). */
  lockWaitMs?: number;
  /**
   * Re-check eligibility before each grant (default true). Off only in tests
   * of provisioning that insert requests without policies.
   */
  recheckEligibilityAtGrant?: boolean;
}

/**
 * Builds the plugin from its parts: stores, domain services, the router and
 * the lifecycle job. The backend plugin calls this; so do tests and benchmarks.
 */
export async function createElevatedAccess(deps: ElevatedAccessDeps) {
  const { config, knex, logger } = deps;
  if (!deps.skipMigrations) {
    await applyMigrations(knex);
  }
  const clock = deps.clock ?? systemClock;

  const aws = createAwsAccess({
    config,
    knex,
    logger,
    accessProvider: deps.accessProvider,
    activitySource: deps.activitySource,
  });
  const { accessProvider, activitySource } = aws;

  const requestStore = DatabaseRequestStore.create({ knex });
  const activityStore = new ActivityStore(knex);
  const eligibilityPolicies = new PolicyStore(knex, 'eligibility');
  const approverPolicies = new PolicyStore(knex, 'approver');
  const settings = new SettingsService(
    new SettingsStore(knex),
    config.defaults,
    clock,
  );
  const targets = new TargetsService(
    accessProvider,
    logger,
    config.aws.organizationRefresh,
  );
  const access = new AccessControl(
    deps.httpAuth,
    deps.userInfo,
    deps.permissions,
  );
  // Backstage notifications reach people (and, through the notification
  // processors such as Slack's, their chat); the webhook is a feed of every
  // event for one Slack channel, for teams without a Slack app
  const channels: NotificationChannel[] = [];
  if (config.slackWebhookUrl) {
    if (!config.appBaseUrl) {
      logger.warn(
        'Slack messages cannot link to requests: app.baseUrl is not configured',
      );
    }
    channels.push(
      new SlackWebhookChannel({
        webhookUrl: config.slackWebhookUrl,
        appBaseUrl: config.appBaseUrl,
      }),
    );
  }
  let timerToPoke: DueTimer | undefined = undefined;
  const notifier = new RequestNotifier({
    notifications: deps.notifications,
    signals: deps.signals,
    channels,
    logger,
    observerRefs: [...config.roles.admins, ...config.roles.auditors],
    adminRefs: config.roles.admins,
    auditorRefs: config.roles.auditors,
    timeZone: config.notificationTimeZone,
    // set below, once the steps it runs exist
    onChange: () => timerToPoke?.poke(),
  });
  const eligibility = new EligibilityRechecker({
    eligibilityPolicies,
    settings,
    targets,
    requesters: new CatalogRequesterDirectory(deps.catalog, deps.auth),
  });
  const accountCatalog = new CatalogAccountCatalog({
    catalog: deps.catalog,
    auth: deps.auth,
    clock,
    logger,
  });
  // requests and their extensions are judged by the same policies,
  // settings and approvers, and told about the same way
  const requestDeps = {
    requests: requestStore,
    eligibilityPolicies,
    approverPolicies,
    settings,
    targets,
    access,
    approverDirectory: new CatalogApproverDirectory(deps.catalog, deps.auth),
    notifier,
    clock,
  };
  const requests = new RequestService({
    ...requestDeps,
    accountCatalog,
    eligibility,
    logger,
  });
  const extensionStore = new ExtensionStore(knex);
  const extensions = new ExtensionService({
    ...requestDeps,
    extensions: extensionStore,
    requestService: requests,
  });
  const policies = new PolicyService({
    eligibility: eligibilityPolicies,
    approver: approverPolicies,
    access,
    targets,
    entities: new CatalogEntityChecker(deps.catalog, deps.auth),
    clock,
    settings,
    accountCatalog,
  });
  const audit = new AuditService({
    access,
    requests,
    requestStore,
    activity: activityStore,
    insights: new InsightsStore(knex),
    clock,
  });

  const owner =
    deps.instanceId ?? `elevated-access-${randomUUID().slice(0, 8)}`;
  // ending open sessions needs the permission set's inline policy: only a
  // provider that can write it (IAM Identity Center) does it
  const sessionBlocks = new SessionBlockStore(knex);
  const endSessionsTarget = hasPermissionSetPolicies(accessProvider)
    ? accessProvider
    : undefined;
  const provisioning: ProvisioningDeps = {
    requests: requestStore,
    ledger: new AssignmentLedger(knex),
    provider: accessProvider,
    principals: new PrincipalResolver({
      catalog: deps.catalog,
      auth: deps.auth,
      provider: accessProvider,
      userMapping: config.userMapping,
    }),
    notifier,
    clock,
    logger,
    auditor: deps.auditor,
    eligibility:
      deps.recheckEligibilityAtGrant === false
        ? undefined
        : r => eligibility.recheck(r),
    owner,
    leaseMs: deps.leaseMs,
    lockWaitMs: deps.lockWaitMs,
    endSessions:
      endSessionsTarget && config.aws.endSessions.enabled
        ? {
            blocks: sessionBlocks,
            onRevoke: true,
            onExpiry: config.aws.endSessions.onExpiry,
          }
        : undefined,
  };
  const revokeStep = new RevokeStep(provisioning);
  const grantStep = new GrantStep(provisioning);
  const lifecycle = new LifecycleJob(
    [
      new ExpiryStep({
        requests: requestStore,
        settings,
        notifier,
        clock,
        logger,
      }),
      revokeStep,
      grantStep,
      new EndsSoonStep({
        requests: requestStore,
        extensions: extensionStore,
        settings,
        notifier,
        clock,
        logger,
      }),
      new ReviewReminderStep({
        requests: requestStore,
        notifier,
        clock,
        logger,
      }),
    ],
    logger,
  );
  // starts and ends at their second, whatever the task's period: the same
  // step instances (one work pool each), so a timer firing during a task's
  // pass joins it
  const provisioningNow = new LifecycleJob([revokeStep, grantStep], logger);
  const dueTimer = new DueTimer({
    nextDue: now => requestStore.nextProvisioningDue(now),
    work: signal => provisioningNow.run(signal),
    clock,
    logger,
    pollMs: durationToMilliseconds(config.duePollFrequency),
  });
  timerToPoke = dueTimer;
  const activity = new LifecycleJob(
    [
      new ActivityStep({
        requests: requestStore,
        activity: activityStore,
        source: activitySource,
        clock,
        logger,
        owner,
        paddingMinutes: config.aws.activity.paddingMinutes,
        settleMinutes: config.aws.activity.settleMinutes,
      }),
    ],
    logger,
  );
  const reconcile = new LifecycleJob([new ReconcileStep(provisioning)], logger);
  // blocks already recorded are still lifted when the setting is turned off
  const endSessions = new LifecycleJob(
    endSessionsTarget
      ? [
          new EndSessionsStep({
            blocks: sessionBlocks,
            requests: requestStore,
            target: endSessionsTarget,
            clock,
            logger,
            owner,
            leaseMs: deps.leaseMs,
            lockWaitMs: deps.lockWaitMs,
          }),
        ]
      : [],
    logger,
  );

  // what the routes serve, and what tests and benches reach for
  const services = {
    requests,
    extensions,
    policies,
    settings,
    targets,
    audit,
  };
  const router: express.Router = await createRouter({
    access,
    ...services,
    history: new AuditHistoryService({
      access,
      store: new AuditHistoryStore(knex),
    }),
    entityAccess: new EntityAccessService({
      catalog: deps.catalog,
      access,
      targets,
      requests: requestStore,
      requestService: requests,
      clock,
    }),
    auditor: deps.auditor,
  });

  /** For the permission framework's apply-conditions endpoint. */
  const getResources = async (
    ids: string[],
  ): Promise<Array<ElevatedAccessRequestResource | undefined>> => {
    const found = new Map(
      (await requestStore.getMany(ids)).map(r => [r.id, toResource(r)]),
    );
    return ids.map(id => found.get(id));
  };

  /**
   * Graceful shutdown: stop taking work, let what runs give its claims back
   * (due at once for the other replicas), then release anything left.
   */
  const shutdown = async (graceMs = 10_000) => {
    await dueTimer.stop();
    await Promise.all([
      lifecycle.shutdown(graceMs),
      activity.shutdown(graceMs),
      reconcile.shutdown(graceMs),
      endSessions.shutdown(graceMs),
      targets.stop(graceMs),
    ]);
  };

  return {
    router,
    lifecycle,
    activity,
    reconcile,
    endSessions,
    /** Started by the plugin (tests and benches start it themselves). */
    dueTimer,
    shutdown,
    getResources,
    stores: {
      requestStore,
      activityStore,
      eligibilityPolicies,
      approverPolicies,
    },
    services: { ...services, notifier },
    aws,
  };
}
