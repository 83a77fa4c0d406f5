import {
  CloudTrailClient,
  GetQueryResultsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudTrailLakeSource } from './CloudTrailLakeSource';

/** One mock per client class and file: a second mockClient would replace the first. */
const cloudtrail = mockClient(CloudTrailClient);

describe('CloudTrailLakeSource', () => {
  const source = () =>
    new CloudTrailLakeSource({
      client: new CloudTrailClient({
        region: 'eu-west-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      }),
      eventDataStore:
        'arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/eds-0123-abcd',
      sleep: async () => {},
    });
  const query = {
    accountId: '111122223333',
    userName: 'bob_smith',
    permissionSetArn: 'x',
    permissionSetName: 'Admin',
    startTime: '2026-11-21T10:00:00.000Z',
    endTime: '2026-11-21T12:00:00.000Z',
  };
  beforeEach(() => cloudtrail.reset());

  it('matches the user exactly and escapes what could change the query', () => {
    const sql = source().buildQuery(query);
    expect(sql).toContain("recipientAccountId = '111122223333'");
    expect(sql).toContain(
      "userIdentity.principalId LIKE '%:bob\\_smith' ESCAPE '\\'",
    );
    expect(sql).toContain("eventTime >= '2026-11-21 10:00:00'");
    expect(sql).toContain('FROM eds-0123-abcd');
    expect(() =>
      source().buildQuery({ ...query, userName: "x' OR '1'='1" }),
    ).toThrow(/Refusing/);
    expect(() =>
      source().buildQuery({ ...query, accountId: "1' OR 1=1 --" }),
    ).toThrow(/Refusing/);
  });

  it('polls a query to completion and maps its rows', async () => {
    cloudtrail.on(StartQueryCommand).resolves({ QueryId: 'q-1' });
    cloudtrail
      .on(GetQueryResultsCommand)
      .resolvesOnce({ QueryStatus: 'RUNNING' })
      .resolvesOnce({
        QueryStatus: 'FINISHED',
        QueryResultRows: [
          [
            { eventID: 'e-9' },
            { eventTime: '2026-11-21 10:30:00.000' },
            { eventName: 'DeleteBucket' },
            { eventSource: 's3.amazonaws.com' },
            { readOnly: 'false' },
            {
              userIdentity: JSON.stringify({
                type: 'AssumedRole',
                arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/bob_smith',
                sessionContext: {
                  sessionIssuer: {
                    arn: 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef',
                  },
                },
              }),
            },
            { awsRegion: 'eu-central-1' },
          ],
          // an IAM user of the same name is not the session
          [
            { eventID: 'e-iam-user' },
            { eventTime: '2026-11-21 10:31:00.000' },
            { eventName: 'DeleteBucket' },
            { eventSource: 's3.amazonaws.com' },
            {
              userIdentity: JSON.stringify({
                type: 'IAMUser',
                arn: 'arn:aws:iam::111122223333:user/bob_smith',
              }),
            },
          ],
        ],
        NextToken: 'n',
      })
      .resolves({ QueryStatus: 'FINISHED', QueryResultRows: [] });
    const pages = [];
    for await (const page of source().collect(query)) pages.push(page);
    expect(pages.flat()).toEqual([
      expect.objectContaining({
        eventId: 'e-9',
        eventTime: '2026-11-21T10:30:00.000Z',
        eventName: 'DeleteBucket',
        readOnly: false,
        region: 'eu-central-1',
      }),
    ]);
    expect(cloudtrail.commandCalls(GetQueryResultsCommand)).toHaveLength(3);
  });

  it('fails clearly when the query fails', async () => {
    cloudtrail.on(StartQueryCommand).resolves({ QueryId: 'q-2' });
    cloudtrail
      .on(GetQueryResultsCommand)
      .resolves({ QueryStatus: 'FAILED', ErrorMessage: 'Access denied' });
    const iterate = async () => {
      for await (const _ of source().collect(query)) {
        // drain
      }
    };
    await expect(iterate()).rejects.toThrow(/ended FAILED: Access denied/);
  });
});
