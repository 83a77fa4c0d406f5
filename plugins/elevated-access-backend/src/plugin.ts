import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  elevatedAccessBasicPermissions,
  elevatedAccessRequestPermissions,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  AccessProvider,
  ActivitySource,
  elevatedAccessProvidersExtensionPoint,
  elevatedAccessRequestResourceRef,
  elevatedAccessRequestRules,
} from '@elevated-access/backstage-plugin-elevated-access-node';
import { readElevatedAccessConfig } from './config';
import { createElevatedAccess } from './service/createElevatedAccess';

/**
 * The Elevated Access backend plugin.
 *
 * @public
 */
export const elevatedAccessPlugin = createBackendPlugin({
  pluginId: 'elevated-access',
  register(env) {
    let accessProvider: AccessProvider | undefined;
    let activitySource: ActivitySource | undefined;
    env.registerExtensionPoint(elevatedAccessProvidersExtensionPoint, {
      setAccessProvider(provider) {
        if (accessProvider) {
          throw new Error('An Elevated Access access provider is already set');
        }
        accessProvider = provider;
      },
      setActivitySource(source) {
        if (activitySource) {
          throw new Error('An Elevated Access activity source is already set');
        }
        activitySource = source;
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
      },
      async init(deps) {
        const config = readElevatedAccessConfig(deps.config);
        const app = await createElevatedAccess({
          ...deps,
          config,
          knex: await deps.database.getClient(),
          skipMigrations: deps.database.migrations?.skip,
          accessProvider,
          activitySource,
        });

        deps.permissionsRegistry.addPermissions(elevatedAccessBasicPermissions);
        deps.permissionsRegistry.addResourceType({
          resourceRef: elevatedAccessRequestResourceRef,
          permissions: elevatedAccessRequestPermissions,
          rules: Object.values(elevatedAccessRequestRules),
          getResources: app.getResources,
        });

        // scope local: every replica runs the work, claiming it row by row
        // with short leases kept alive by heartbeats, so a replica that dies
        // holds nothing for longer than a lease (a global task would stay
        // claimed until its timeout) and two replicas never act twice
        await deps.scheduler.scheduleTask({
          id: 'elevated-access-lifecycle',
          frequency: config.scheduleFrequency,
          timeout: { minutes: 10 },
          scope: 'local',
          fn: signal => app.lifecycle.run(signal),
        });
        await deps.scheduler.scheduleTask({
          id: 'elevated-access-activity',
          frequency: config.activityFrequency,
          timeout: { minutes: 30 },
          scope: 'local',
          fn: signal => app.activity.run(signal),
        });
        await deps.scheduler.scheduleTask({
          id: 'elevated-access-reconcile',
          frequency: config.reconcileFrequency,
          timeout: { minutes: 30 },
          initialDelay: { minutes: 1 },
          scope: 'local',
          fn: signal => app.reconcile.run(signal),
        });
        // ends sessions opened before access ended, and lifts the blocks
        await deps.scheduler.scheduleTask({
          id: 'elevated-access-end-sessions',
          frequency: config.scheduleFrequency,
          timeout: { minutes: 10 },
          scope: 'local',
          fn: signal => app.endSessions.run(signal),
        });
        // starts and ends at their second, between the task's runs (the
        // task stays as the safety net); its timer is cleared on shutdown
        if (config.dueTimers) {
          deps.lifecycle.addStartupHook(() => app.dueTimer.start());
        }
        // SIGTERM: stop taking work and give back what this replica holds,
        // so the other replicas carry on at once
        deps.lifecycle.addShutdownHook(() => app.shutdown());
        await deps.scheduler.scheduleTask({
          id: 'elevated-access-organization',
          frequency: config.aws.organizationRefresh,
          timeout: { minutes: 10 },
          scope: 'local',
          fn: async () => {
            await app.services.targets.refresh();
          },
        });

        deps.httpRouter.use(app.router);
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
