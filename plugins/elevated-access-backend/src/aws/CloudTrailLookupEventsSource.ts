import { Event, paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import {
  ActivityEvent,
  ActivityQuery,
  ActivitySource,
} from '@elevated-access/backstage-plugin-elevated-access-node';
import { isSessionOf, sessionOfEvent } from '../domain/activityAttribution';
import { CallQueue, pacedClient, SharedRateGate } from './CallQueue';
import { AwsClients } from './clients';

/** Parses the raw CloudTrail record inside a LookupEvents event. */
export function parseCloudTrailEvent(
  raw: string | undefined,
): Record<string, any> {
  if (!raw) return {};
  try {
    return JSON.parse(raw);
  } catch {
    return {};
  }
}

/** Maps a CloudTrail event (LookupEvents shape) to an activity event. */
export function toActivityEvent(e: Event, region?: string): ActivityEvent {
  const detail = parseCloudTrailEvent(e.CloudTrailEvent);
  return {
    region: detail.awsRegion ?? region,
    eventId: e.EventId!,
    eventTime: (e.EventTime ?? new Date(detail.eventTime)).toISOString(),
    eventName: e.EventName ?? detail.eventName ?? 'unknown',
    eventSource: e.EventSource ?? detail.eventSource ?? 'unknown',
    resources: (e.Resources ?? [])
      .map(r => r.ResourceName ?? '')
      .filter(Boolean),
    sourceIpAddress: detail.sourceIPAddress,
    userAgent: detail.userAgent,
    readOnly:
      e.ReadOnly !== undefined
        ? e.ReadOnly === 'true'
        : detail.readOnly ?? undefined,
    errorCode: detail.errorCode,
    raw: Object.keys(detail).length ? detail : e,
  };
}

/**
 * Whether an event was made by the user's session of this permission set:
 * the exact reserved role `AWSReservedSSO_<PermissionSetName>_<suffix>` (TEAM's
 * LIKE '%name%' let `Admin` match `AdminReadOnly`) and the user's role
 * session. Events that name no role (an IAM user of the same name, the root
 * user) are not the session's.
 */
export function matchesPermissionSet(
  event: ActivityEvent,
  userName: string,
  permissionSetName?: string,
) {
  const session = sessionOfEvent(event.raw);
  if (!permissionSetName) {
    return (
      !!session.roleName?.startsWith('AWSReservedSSO_') &&
      (session.sessionName === undefined || session.sessionName === userName)
    );
  }
  return isSessionOf(session, userName, permissionSetName);
}

/** The AWS partition a region belongs to. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

/** The region that holds an AWS partition's global-service events. */
export function globalEventsRegion(partition = 'aws'): string {
  if (partition === 'aws-us-gov') return 'us-gov-west-1';
  if (partition === 'aws-cn') return 'cn-north-1';
  return 'us-east-1';
}

/**
 * Session activity from CloudTrail LookupEvents in each target account,
 * through a role assumed there (the default source; CloudTrail Lake no longer
 * takes new customers). Calls are limited per account and region (2 per
 * second by default, LookupEvents' quota) and retried when throttled.
 */
export class CloudTrailLookupEventsSource implements ActivitySource {
  readonly id = 'cloudtrail-lookup-events';
  private readonly queues = new Map<string, CallQueue>();
  /** Each account's activity reader credentials. */
  private readonly credentials = new Map<
    string,
    AwsCredentialIdentityProvider
  >();

  constructor(
    private readonly options: {
      clients: AwsClients;
      roleName: string;
      callsPerSecond: number;
      /** The home region: STS and region discovery calls go there. */
      region: string;
      /**
       * The regions to read: a list, or `all` for every region the account
       * has enabled (EC2 DescribeRegions in the account). The region of the
       * partition's global-service events is always read.
       */
      regions?: string[] | 'all';
      partition?: string;
      /** Shares each account and region's quota with other replicas. */
      gateFor?: (bucket: string) => SharedRateGate | undefined;
    },
  ) {}

  private readonly regionCache = new Map<
    string,
    { regions: string[]; expires: number }
  >();

  async regionsOf(accountId: string): Promise<string[]> {
    const configured = this.options.regions ?? 'all';
    const always = globalEventsRegion(this.options.partition);
    if (configured !== 'all') {
      return [...new Set([always, ...configured])].sort();
    }
    const cached = this.regionCache.get(accountId);
    if (cached && cached.expires > Date.now()) return cached.regions;
    const ec2 = new EC2Client({
      region: this.options.region,
      endpoint: this.options.clients.options.endpoint,
      credentials: this.credentialsFor(accountId),
    });
    const res = await ec2.send(
      new DescribeRegionsCommand({ AllRegions: false }),
    );
    const regions = [
      ...new Set([
        always,
        ...(res.Regions ?? [])
          .filter(r => r.OptInStatus !== 'not-opted-in')
          .map(r => r.RegionName!)
          .filter(Boolean)
          // credentials never reach across partitions
          .filter(
            r => partitionOfRegion(r) === (this.options.partition ?? 'aws'),
          ),
      ]),
    ].sort();
    // Regions change rarely (an opt-in region being enabled); an hour is fresh enough.
    this.regionCache.set(accountId, {
      regions,
      expires: Date.now() + 60 * 60_000,
    });
    return regions;
  }

  private queue(accountId: string, region: string): CallQueue {
    const key = `${accountId}/${region}`;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = new CallQueue({
        maxInFlight: 1,
        callsPerSecond: this.options.callsPerSecond,
        gate: this.options.gateFor?.(`lookup-events:${key}`),
      });
      this.queues.set(key, queue);
    }
    return queue;
  }

  /** The activity reader role in the account, assumed when first used. */
  private credentialsFor(accountId: string): AwsCredentialIdentityProvider {
    let credentials = this.credentials.get(accountId);
    if (!credentials) {
      const partition = this.options.partition ?? 'aws';
      credentials = this.options.clients.assumedRole(
        `arn:${partition}:iam::${accountId}:role/${this.options.roleName}`,
        'elevated-access-activity',
      );
      this.credentials.set(accountId, credentials);
    }
    return credentials;
  }

  async *collect(
    query: ActivityQuery,
    options?: { signal?: AbortSignal },
  ): AsyncIterable<ActivityEvent[]> {
    const region = query.region ?? this.options.region;
    const credentials = this.credentialsFor(query.accountId);
    // the role is assumed before the first page, outside the LookupEvents
    // queue (a denied role fails here, not as a LookupEvents call)
    await credentials();
    const client = pacedClient(
      this.options.clients.cloudTrail(credentials, region),
      this.queue(query.accountId, region),
      { signal: options?.signal },
    );
    const seen = new Set<string>();
    const pages = paginateLookupEvents(
      { client, pageSize: 50 },
      {
        LookupAttributes: [
          { AttributeKey: 'Username', AttributeValue: query.userName },
        ],
        StartTime: new Date(query.startTime),
        EndTime: new Date(query.endTime),
      },
    );
    for await (const res of pages) {
      const page = (res.Events ?? [])
        .filter(e => e.EventId && !seen.has(e.EventId))
        .map(e => toActivityEvent(e, region))
        .filter(e =>
          matchesPermissionSet(e, query.userName, query.permissionSetName),
        );
      page.forEach(e => seen.add(e.eventId));
      if (page.length) yield page;
      // an abort between pages ends the collection quietly
      if (options?.signal?.aborted) return;
    }
  }
}
