import { ConfigReader } from '@backstage/config';
import { readCatalogModuleSettings } from './config';

function read(elevatedAccess: object) {
  return readCatalogModuleSettings(new ConfigReader({ elevatedAccess }));
}

describe('readCatalogModuleSettings', () => {
  const env = process.env.AWS_REGION;
  afterEach(() => {
    if (env === undefined) delete process.env.AWS_REGION;
    else process.env.AWS_REGION = env;
  });

  it('applies the defaults', () => {
    delete process.env.AWS_REGION;
    expect(read({ catalog: { defaultOwner: 'platform-leads' } })).toEqual({
      mode: 'provide',
      ownerTag: 'owner',
      defaultOwner: 'group:default/platform-leads',
      systemTag: 'system',
      sensitiveTag: 'sensitive',
      aws: { region: 'us-east-1', endpoint: undefined, maxAttempts: 10 },
      refresh: { minutes: 15 },
    });
  });

  it('reads every key, and the shared AWS keys of the plugin', () => {
    process.env.AWS_REGION = 'eu-west-1';
    expect(
      read({
        aws: {
          region: 'eu-central-1',
          endpoint: 'http://127.0.0.1:4566',
          organizationRefresh: { minutes: 5 },
        },
        catalog: {
          mode: 'provide',
          ownerTag: 'team',
          defaultOwner: 'user:default/dave',
          systemTag: 'service',
          sensitiveTag: 'critical',
          maxAttempts: 3,
        },
      }),
    ).toEqual({
      mode: 'provide',
      ownerTag: 'team',
      defaultOwner: 'user:default/dave',
      systemTag: 'service',
      sensitiveTag: 'critical',
      aws: {
        region: 'eu-central-1',
        endpoint: 'http://127.0.0.1:4566',
        maxAttempts: 3,
      },
      refresh: { minutes: 5 },
    });
  });

  it('takes the region from AWS_REGION when config has none', () => {
    process.env.AWS_REGION = 'eu-west-1';
    expect(read({ catalog: { mode: 'link' } }).aws.region).toBe('eu-west-1');
  });

  it('needs a default owner to provide entities, not to link', () => {
    expect(() => read({})).toThrow(
      /elevatedAccess.catalog.defaultOwner is required when elevatedAccess.catalog.mode is provide/,
    );
    expect(read({ catalog: { mode: 'link' } }).mode).toBe('link');
  });

  it('refuses an unknown mode, an invalid owner and attempts below one', () => {
    expect(() =>
      read({ catalog: { mode: 'sync', defaultOwner: 'x' } }),
    ).toThrow('elevatedAccess.catalog.mode must be provide or link, not sync');
    expect(() => read({ catalog: { defaultOwner: 'Platform Leads' } })).toThrow(
      'elevatedAccess.catalog.defaultOwner is not a valid entity ref: Platform Leads',
    );
    expect(() =>
      read({ catalog: { defaultOwner: 'x', maxAttempts: 0 } }),
    ).toThrow(/maxAttempts must be a whole number of at least 1/);
  });
});
