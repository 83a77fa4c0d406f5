import { RunningSandbox, startSandbox } from '@internal/aws-sandbox';
import { AwsClients } from './clients';

jest.setTimeout(120_000);

/*
 * The activity reader's assumed-role credentials, over the wire: STS
 * AssumeRole is called once per account and the result is shared until 5
 * minutes before it expires (the wall clock is the test's).
 */

const MINUTE = 60_000;
const ROLE_ARN = 'arn:aws:iam::111122223333:role/ElevatedAccessActivityReader';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());
afterEach(() => jest.restoreAllMocks());

describe('AwsClients.assumedRole on the AWS sandbox', () => {
  it('assumes the role once, shares the credentials, and renews them 5 minutes before they expire', async () => {
    await sandbox.reset();
    const clients = new AwsClients({
      region: 'us-east-1',
      endpoint: sandbox.url,
      credentials: { accessKeyId: 'backend', secretAccessKey: 'backend' },
    });
    const assumeRoles = () => sandbox.calls({ operations: ['AssumeRole'] });
    const credentials = clients.assumedRole(
      ROLE_ARN,
      'elevated-access-activity',
    );
    expect(await assumeRoles()).toEqual([]);

    // concurrent first uses share one call
    const [first, again] = await Promise.all([credentials(), credentials()]);
    expect(again).toBe(first);
    expect(first.accessKeyId).not.toBe('backend');
    expect(first.expiration).toBeInstanceOf(Date);
    const calls = await assumeRoles();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      service: 'sts',
      region: 'us-east-1',
      accessKeyId: 'backend',
      params: expect.objectContaining({
        RoleArn: ROLE_ARN,
        RoleSessionName: 'elevated-access-activity',
      }),
    });

    const expiresAt = first.expiration!.getTime();
    const now = jest.spyOn(Date, 'now');
    now.mockReturnValue(expiresAt - 6 * MINUTE);
    expect(await credentials()).toBe(first);
    expect(await assumeRoles()).toHaveLength(1);

    now.mockReturnValue(expiresAt - 4 * MINUTE);
    const renewed = await credentials();
    expect(renewed).not.toBe(first);
    expect(await assumeRoles()).toHaveLength(2);
  });
});
