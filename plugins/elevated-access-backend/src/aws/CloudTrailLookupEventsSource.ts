import { Event, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { AwsCredentialIdentity } from '@aws-sdk/types';
import {
  ActivityEvent,
  ActivityQuery,
  ActivitySource,
} from '@elevated-access/backstage-plugin-elevated-access-node';
import { CallQueue, SharedRateGate } from './CallQueue';
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
export function toActivityEvent(e: Event): ActivityEvent {
  const detail = parseCloudTrailEvent(e.CloudTrailEvent);
  return {
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
 * Whether an event belongs to a session of this permission set. Identity
 * Center sessions run as the role AWSReservedSSO_<PermissionSetName>_<hash>;
 * an exact name match keeps activity under the user's other roles out (TEAM's
 * LIKE '%name%' let `Admin` match `AdminReadOnly`). Events that name no role
 * are kept.
 */
export function matchesPermissionSet(
  event: ActivityEvent,
  permissionSetName?: string,
) {
  if (!permissionSetName) return true;
  const issuer: string | undefined = (event.raw as any)?.userIdentity
    ?.sessionContext?.sessionIssuer?.arn;
  if (!issuer) return true;
  const role = issuer.split('/').pop() ?? '';
  return role.startsWith(`AWSReservedSSO_${permissionSetName}_`);
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
  private readonly credentials = new Map<
    string,
    { value: AwsCredentialIdentity; expires: number }
  >();

  constructor(
    private readonly options: {
      clients: AwsClients;
      roleName: string;
      callsPerSecond: number;
      region: string;
      partition?: string;
      /** Shares each account and region's quota with other replicas. */
      gateFor?: (bucket: string) => SharedRateGate | undefined;
    },
  ) {}

  private queue(accountId: string): CallQueue {
    const key = `${accountId}/${this.options.region}`;
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

  private async credentialsFor(
    accountId: string,
  ): Promise<AwsCredentialIdentity> {
    const cached = this.credentials.get(accountId);
    if (cached && cached.expires - Date.now() > 5 * 60_000) return cached.value;
    const partition = this.options.partition ?? 'aws';
    const res = await this.options.clients.sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:${partition}:iam::${accountId}:role/${this.options.roleName}`,
        RoleSessionName: 'elevated-access-activity',
      }),
    );
    const c = res.Credentials!;
    const value = {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken,
    };
    this.credentials.set(accountId, {
      value,
      expires: c.Expiration
        ? new Date(c.Expiration).getTime()
        : Date.now() + 15 * 60_000,
    });
    return value;
  }

  async *collect(
    query: ActivityQuery,
    options?: { signal?: AbortSignal },
  ): AsyncIterable<ActivityEvent[]> {
    const client = this.options.clients.cloudTrail(
      await this.credentialsFor(query.accountId),
      this.options.region,
    );
    const queue = this.queue(query.accountId);
    const seen = new Set<string>();
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const res = await queue.call(() =>
        client.send(
          new LookupEventsCommand({
            LookupAttributes: [
              { AttributeKey: 'Username', AttributeValue: query.userName },
            ],
            StartTime: new Date(query.startTime),
            EndTime: new Date(query.endTime),
            MaxResults: 50,
            NextToken: token,
          }),
        ),
      );
      const page = (res.Events ?? [])
        .filter(e => e.EventId && !seen.has(e.EventId))
        .map(toActivityEvent)
        .filter(e => matchesPermissionSet(e, query.permissionSetName));
      page.forEach(e => seen.add(e.eventId));
      if (page.length) yield page;
      nextToken = res.NextToken;
    } while (nextToken && !options?.signal?.aborted);
  }
}
