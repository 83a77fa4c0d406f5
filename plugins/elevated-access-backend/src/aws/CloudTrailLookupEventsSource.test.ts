import {
  CloudTrailClient,
  LookupEventsCommand,
} from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { countingGate } from '../__testUtils__/awsCalls';
import { SharedRateGate } from './CallQueue';
import {
  CloudTrailLookupEventsSource,
  matchesPermissionSet,
  toActivityEvent,
} from './CloudTrailLookupEventsSource';
import { AwsClients } from './clients';

/** One mock per client class and file: a second mockClient would replace the first. */
const cloudtrail = mockClient(CloudTrailClient);

describe('CloudTrail event mapping', () => {
  const event = (issuer?: string) =>
    toActivityEvent({
      EventId: 'e1',
      EventName: 'PutObject',
      EventSource: 's3.amazonaws.com',
      EventTime: new Date('2026-11-21T10:00:00Z'),
      ReadOnly: 'false',
      Resources: [{ ResourceName: 'arn:aws:s3:::b' }],
      CloudTrailEvent: JSON.stringify({
        sourceIPAddress: '198.51.100.1',
        userAgent: 'console.amazonaws.com',
        errorCode: 'AccessDenied',
        userIdentity: issuer
          ? { sessionContext: { sessionIssuer: { arn: issuer } } }
          : {},
      }),
    });

  it('keeps the fields auditors need', () => {
    expect(event()).toMatchObject({
      eventId: 'e1',
      eventTime: '2026-11-21T10:00:00.000Z',
      eventName: 'PutObject',
      resources: ['arn:aws:s3:::b'],
      sourceIpAddress: '198.51.100.1',
      userAgent: 'console.amazonaws.com',
      readOnly: false,
      errorCode: 'AccessDenied',
    });
  });

  it('matches the permission set by its exact reserved role name', () => {
    const role = (name: string) =>
      `arn:aws:iam::1:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${name}_abc123`;
    const match = (e: ReturnType<typeof event>) =>
      matchesPermissionSet(e, 'alice', 'Admin');
    expect(match(event(role('Admin')))).toBe(true);
    expect(match(event(role('AdminReadOnly')))).toBe(false);
    expect(match(event(role('Admin_ReadOnly')))).toBe(false);
    // an IAM user of the same name: no role issued the session
    expect(match(event())).toBe(false);
  });
});

describe('CloudTrailLookupEventsSource (paths the sandbox cannot take)', () => {
  const accountId = '111122223333';
  const role =
    'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef';
  const sessionEvent = (id: string) => ({
    EventId: id,
    EventName: 'GetObject',
    EventTime: new Date('2026-11-21T10:00:00Z'),
    CloudTrailEvent: JSON.stringify({
      userIdentity: {
        arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice',
        sessionContext: { sessionIssuer: { arn: role } },
      },
    }),
  });
  const query = {
    accountId,
    region: 'eu-west-1',
    userName: 'alice',
    permissionSetArn: 'x',
    permissionSetName: 'Admin',
    startTime: '2026-11-21T09:00:00.000Z',
    endTime: '2026-11-21T12:00:00.000Z',
  };
  const source = (gateFor: (bucket: string) => SharedRateGate) => {
    const clients = new AwsClients({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    const assumedRole = jest
      .spyOn(clients, 'assumedRole')
      .mockReturnValue(async () => ({
        accessKeyId: 'reader',
        secretAccessKey: 'reader',
      }));
    return {
      assumedRole,
      source: new CloudTrailLookupEventsSource({
        clients,
        roleName: 'ElevatedAccessActivityReader',
        callsPerSecond: 1000,
        region: 'us-east-1',
        regions: ['eu-west-1'],
        gateFor,
      }),
    };
  };
  /** Token and page size of each LookupEvents call, as sent. */
  let sent: Array<[string | undefined, number | undefined]>;
  beforeEach(() => {
    cloudtrail.reset();
    sent = [];
    const answers = [
      { Events: [sessionEvent('e-1')], NextToken: 't-1' },
      { Events: [sessionEvent('e-2')], NextToken: 't-2' },
      { Events: [sessionEvent('e-3')] },
    ];
    cloudtrail.on(LookupEventsCommand).callsFake(async input => {
      sent.push([input.NextToken, input.MaxResults]);
      return answers[sent.length - 1];
    });
  });

  it("reads every page through the account and region's paced queue, as the reader role", async () => {
    const { booked, gateFor } = countingGate();
    const { source: lookup, assumedRole } = source(gateFor);
    const pages = [];
    for await (const page of lookup.collect(query)) pages.push(page);

    expect(pages.map(p => p.map(e => e.eventId))).toEqual([
      ['e-1'],
      ['e-2'],
      ['e-3'],
    ]);
    expect(sent).toEqual([
      [undefined, 50],
      ['t-1', 50],
      ['t-2', 50],
    ]);
    // every call booked a slot of the account and region's bucket (on a
    // busy machine a call that wakes late for its slot books another)
    expect(new Set(booked)).toEqual(
      new Set([`lookup-events:${accountId}/eu-west-1`]),
    );
    expect(booked.length).toBeGreaterThanOrEqual(sent.length);
    expect(assumedRole).toHaveBeenCalledWith(
      `arn:aws:iam::${accountId}:role/ElevatedAccessActivityReader`,
      'elevated-access-activity',
    );
  });

  it('stops quietly when aborted between pages', async () => {
    const { gateFor } = countingGate();
    const controller = new AbortController();
    const pages = [];
    for await (const page of source(gateFor).source.collect(query, {
      signal: controller.signal,
    })) {
      pages.push(page);
      controller.abort(new Error('shutting down'));
    }
    expect(pages).toHaveLength(1);
    expect(sent).toHaveLength(1);
  });
});
