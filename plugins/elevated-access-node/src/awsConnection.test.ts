import { ConfigReader } from '@backstage/config';
import { readAwsConnectionConfig } from './awsConnection';

describe('readAwsConnectionConfig', () => {
  const env = process.env.AWS_REGION;
  afterEach(() => {
    if (env === undefined) delete process.env.AWS_REGION;
    else process.env.AWS_REGION = env;
  });
  const read = (aws?: object) =>
    readAwsConnectionConfig(new ConfigReader({ elevatedAccess: { aws } }));

  it('reads the region and the endpoint', () => {
    process.env.AWS_REGION = 'eu-west-1';
    expect(
      read({ region: 'eu-central-1', endpoint: 'http://127.0.0.1:4566' }),
    ).toEqual({ region: 'eu-central-1', endpoint: 'http://127.0.0.1:4566' });
  });

  it('takes AWS_REGION, else us-east-1, when no region is configured', () => {
    process.env.AWS_REGION = 'eu-west-1';
    expect(read()).toEqual({ region: 'eu-west-1', endpoint: undefined });
    delete process.env.AWS_REGION;
    expect(read({})).toEqual({ region: 'us-east-1', endpoint: undefined });
  });
});
