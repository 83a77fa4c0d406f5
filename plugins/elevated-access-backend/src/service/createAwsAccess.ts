import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AccessProvider,
  ActivitySource,
} from '@elevated-access/backstage-plugin-elevated-access-node';
import { Knex } from 'knex';
import { AwsIdentityCenterProvider } from '../aws/AwsIdentityCenterProvider';
import { CallQueue } from '../aws/CallQueue';
import { AwsClients } from '../aws/clients';
import { CloudTrailLakeSource } from '../aws/CloudTrailLakeSource';
import { CloudTrailLookupEventsSource } from '../aws/CloudTrailLookupEventsSource';
import { ElevatedAccessConfig } from '../config';
import { DatabaseRateGate } from '../database/DatabaseRateGate';

/**
 * The plugin's AWS side, from config: the clients, the Identity Center
 * queue, the access provider (IAM Identity Center) and the activity source
 * (CloudTrail), each of the last two unless a module set its own.
 */
export function createAwsAccess(options: {
  config: ElevatedAccessConfig;
  knex: Knex;
  logger: LoggerService;
  accessProvider?: AccessProvider;
  activitySource?: ActivitySource;
}) {
  const { config, knex, logger } = options;
  // on PostgreSQL (what several replicas share) the call rate is one
  // budget for all replicas together: Identity Center's quota is per account
  const sharedGate = (bucket: string) =>
    DatabaseRateGate.supports(knex)
      ? new DatabaseRateGate(knex, bucket)
      : undefined;
  const queue = new CallQueue({
    maxInFlight: config.aws.limits.maxInFlight,
    callsPerSecond: config.aws.limits.callsPerSecond,
    gate: sharedGate('identity-center'),
  });
  const clients = new AwsClients({
    region: config.aws.region,
    endpoint: config.aws.endpoint,
  });
  const accessProvider: AccessProvider =
    options.accessProvider ??
    new AwsIdentityCenterProvider({
      clients,
      queue,
      readQueue: new CallQueue({
        maxInFlight: config.aws.limits.readMaxInFlight,
        callsPerSecond: config.aws.limits.readCallsPerSecond,
        gate: sharedGate('identity-center-read'),
      }),
      organizationsQueue: operation =>
        new CallQueue({
          maxInFlight: 10,
          callsPerSecond: config.aws.organizationsCallsPerSecond,
          gate: sharedGate(`organizations-${operation}`),
        }),
      logger,
      instanceArn: config.aws.instanceArn,
      identityStoreId: config.aws.identityStoreId,
      userMapping: config.userMapping,
    });
  const activitySource: ActivitySource =
    options.activitySource ??
    (config.aws.activity.source === 'lake'
      ? new CloudTrailLakeSource({
          client: new CloudTrailClient({
            region: config.aws.region,
            endpoint: config.aws.endpoint,
          }),
          eventDataStore: config.aws.activity.eventDataStore ?? '',
        })
      : new CloudTrailLookupEventsSource({
          clients,
          roleName: config.aws.activity.roleName,
          callsPerSecond: config.aws.activity.callsPerSecond,
          region: config.aws.region,
          regions: config.aws.activity.regions,
          gateFor: sharedGate,
        }));
  return { clients, queue, accessProvider, activitySource };
}
