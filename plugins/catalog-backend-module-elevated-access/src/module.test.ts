import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  catalogProcessingExtensionPoint,
  EntityProvider,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import catalogModuleElevatedAccessAwsAccounts from '.';

function startWith(elevatedAccess: object) {
  const providers: EntityProvider[] = [];
  const backend = startTestBackend({
    extensionPoints: [
      [
        catalogProcessingExtensionPoint,
        {
          addEntityProvider: (
            ...added: Array<EntityProvider | EntityProvider[]>
          ) => providers.push(...added.flat()),
          addProcessor: () => {},
          addPlaceholderResolver: () => {},
          setOnProcessingErrorHandler: () => {},
        },
      ],
    ],
    features: [
      catalogModuleElevatedAccessAwsAccounts,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({ data: { elevatedAccess } }),
    ],
  });
  return { backend, providers };
}

describe('catalogModuleElevatedAccessAwsAccounts', () => {
  it('adds the AWS organisation provider to the catalog', async () => {
    const { backend, providers } = startWith({
      aws: { region: 'us-east-1', endpoint: 'http://127.0.0.1:1' },
      catalog: { defaultOwner: 'group:default/platform-leads' },
    });
    await backend;
    expect(providers.map(p => p.getProviderName())).toEqual([
      'elevated-access-aws-organization',
    ]);
  });

  it('does not start without a default owner to provide entities', async () => {
    await expect(startWith({}).backend).rejects.toThrow(
      /elevatedAccess.catalog.defaultOwner is required/,
    );
  });
});
