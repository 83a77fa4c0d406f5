import {
  CloudTrailClient,
  GetQueryResultsCommand,
  GetQueryResultsCommandOutput,
  paginateGetQueryResults,
  StartQueryCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  ActivityEvent,
  ActivityQuery,
  ActivitySource,
} from '@elevated-access/backstage-plugin-elevated-access-node';
import { monotonicMs } from './CallQueue';
import { matchesPermissionSet } from './CloudTrailLookupEventsSource';

const sleepReal = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

/** Lake SQL has no bind parameters: every value is checked before it is quoted. */
function literal(value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value)) {
    throw new Error(
      `Refusing to query CloudTrail Lake with this ${what}: ${value}`,
    );
  }
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Session activity from a CloudTrail Lake event data store, for adopters who
 * still have one. The query matches the principal exactly (…:<user name>),
 * the account and the window; results are polled with backoff.
 */
export class CloudTrailLakeSource implements ActivitySource {
  readonly id = 'cloudtrail-lake';

  constructor(
    private readonly options: {
      client: CloudTrailClient;
      eventDataStore: string;
      sleep?: (ms: number) => Promise<void>;
      timeoutMs?: number;
    },
  ) {}

  buildQuery(query: ActivityQuery): string {
    const eds = this.options.eventDataStore.split('/').pop()!;
    if (!/^[A-Za-z0-9-]+$/.test(eds)) {
      throw new Error(
        `Not an event data store id: ${this.options.eventDataStore}`,
      );
    }
    const user = query.userName;
    if (!/^[\w+=,.@-]{1,128}$/.test(user)) {
      throw new Error(
        `Refusing to query CloudTrail Lake for user name ${user}`,
      );
    }
    // exact suffix match: LIKE wildcards in the name are escaped
    const principal = `%:${user.replace(/[\\%_]/g, c => `\\${c}`)}`;
    return [
      'SELECT eventID, eventTime, eventName, eventSource, resources, sourceIPAddress,',
      '  userAgent, readOnly, errorCode, userIdentity, awsRegion',
      `FROM ${eds}`,
      `WHERE recipientAccountId = ${literal(
        query.accountId,
        /^\d{12}$/,
        'account',
      )}`,
      `  AND userIdentity.principalId LIKE ${literal(
        principal,
        /^%:[\w+=,.@\\-]+$/,
        'user name',
      )} ESCAPE '\\'`,
      `  AND eventTime >= ${literal(
        query.startTime.replace('T', ' ').replace(/\.\d+Z$|Z$/, ''),
        /^[\d :-]+$/,
        'time',
      )}`,
      `  AND eventTime <= ${literal(
        query.endTime.replace('T', ' ').replace(/\.\d+Z$|Z$/, ''),
        /^[\d :-]+$/,
        'time',
      )}`,
      'ORDER BY eventTime DESC',
    ].join('\n');
  }

  async *collect(query: ActivityQuery): AsyncIterable<ActivityEvent[]> {
    const { client, eventDataStore } = this.options;
    const started = await client.send(
      new StartQueryCommand({ QueryStatement: this.buildQuery(query) }),
    );
    const queryId = started.QueryId!;
    const first = await this.finished(queryId);
    const events = (res: GetQueryResultsCommandOutput) =>
      (res.QueryResultRows ?? [])
        .map(row => eventOfRow(Object.assign({}, ...row)))
        .filter(e =>
          matchesPermissionSet(e, query.userName, query.permissionSetName),
        );
    const page = events(first);
    if (page.length) yield page;
    if (!first.NextToken) return;
    const rest = paginateGetQueryResults(
      { client, startingToken: first.NextToken },
      { EventDataStore: eventDataStore, QueryId: queryId },
    );
    for await (const res of rest) {
      if (res.QueryStatus !== 'FINISHED') throw ended(queryId, res);
      const next = events(res);
      if (next.length) yield next;
    }
  }

  /** Polls the query with backoff until it ends; its first page of results. */
  private async finished(
    queryId: string,
  ): Promise<GetQueryResultsCommandOutput> {
    const sleep = this.options.sleep ?? sleepReal;
    const deadline = monotonicMs() + (this.options.timeoutMs ?? 5 * 60_000);
    for (let delay = 500; ; delay = Math.min(delay * 2, 5_000)) {
      const res = await this.options.client.send(
        new GetQueryResultsCommand({
          EventDataStore: this.options.eventDataStore,
          QueryId: queryId,
        }),
      );
      if (res.QueryStatus === 'FINISHED') return res;
      if (res.QueryStatus !== 'QUEUED' && res.QueryStatus !== 'RUNNING') {
        throw ended(queryId, res);
      }
      if (monotonicMs() + delay > deadline) {
        throw new Error(
          `CloudTrail Lake query ${queryId} did not finish in time`,
        );
      }
      await sleep(delay);
    }
  }
}

/** A query that ended other than FINISHED. */
function ended(queryId: string, res: GetQueryResultsCommandOutput) {
  return new Error(
    `CloudTrail Lake query ${queryId} ended ${res.QueryStatus}: ${
      res.ErrorMessage ?? ''
    }`,
  );
}

/** Maps one Lake result row (column name to value) to an activity event. */
function eventOfRow(r: Record<string, string>): ActivityEvent {
  return {
    eventId: r.eventID,
    eventTime: new Date(`${r.eventTime.replace(' ', 'T')}Z`).toISOString(),
    eventName: r.eventName,
    eventSource: r.eventSource,
    resources: r.resources ? [r.resources] : [],
    sourceIpAddress: r.sourceIPAddress,
    userAgent: r.userAgent,
    readOnly: r.readOnly === undefined ? undefined : r.readOnly === 'true',
    errorCode: r.errorCode || undefined,
    region: r.awsRegion || undefined,
    raw: { ...r, userIdentity: safeJson(r.userIdentity) },
  };
}

function safeJson(value: string | undefined) {
  try {
    return value ? JSON.parse(value) : undefined;
  } catch {
    return value;
  }
}
