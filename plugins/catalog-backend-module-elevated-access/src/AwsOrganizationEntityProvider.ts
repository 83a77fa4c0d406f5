import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogService,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { AWS_ACCOUNT_ID_ANNOTATIONS } from '@elevated-access/backstage-plugin-elevated-access-common';
import { CatalogModuleSettings } from './config';
import { organizationEntities } from './entities';
import { OrganizationReader } from './organization';

/** What the provider works with. */
export interface AwsOrganizationEntityProviderOptions {
  settings: CatalogModuleSettings;
  reader: OrganizationReader;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  scheduler: SchedulerService;
}

/**
 * Writes the AWS organisation's accounts and OUs into the catalog as
 * `Resource` entities, once soon after start and then on the organisation
 * schedule; each run replaces the last (a full mutation), so an account that
 * left loses its entity and a moved one gets its new OU.
 */
export class AwsOrganizationEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(private readonly options: AwsOrganizationEntityProviderOptions) {}

  getProviderName(): string {
    return 'elevated-access-aws-organization';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    const { settings, scheduler, logger } = this.options;
    if (settings.mode === 'link') {
      // removes what an earlier `provide` run wrote
      await connection.applyMutation({ type: 'full', entities: [] });
      logger.info(
        'AWS accounts are linked to existing catalog entities only (elevatedAccess.catalog.mode is link), none are written',
      );
      return;
    }
    await scheduler.scheduleTask({
      id: `${this.getProviderName()}:refresh`,
      frequency: settings.refresh,
      timeout: { minutes: 10 },
      initialDelay: { seconds: 5 },
      // one replica writes the organisation
      scope: 'global',
      fn: () => this.refresh(),
    });
  }

  /** Reads the organisation and the catalog, and writes the entities. */
  async refresh(): Promise<void> {
    const connection = this.connection;
    if (!connection) {
      throw new Error('The AWS organisation provider is not connected yet');
    }
    const { settings, reader, logger } = this.options;
    if (settings.mode === 'link') return;

    const tree = await reader.readOrganization();
    const existing = await this.existingAccountEntities();
    const { entities, linked, warnings } = organizationEntities(
      tree,
      settings,
      existing,
    );
    for (const warning of warnings) logger.warn(warning);
    if (linked.length > 0) {
      logger.info(
        `AWS accounts with an entity of their own in the catalog, not written again: ${linked
          .map(
            l =>
              `${l.accountName} (${l.accountId}) as ${l.entityRefs.join(', ')}`,
          )
          .join(', ')}`,
      );
    }
    await connection.applyMutation({ type: 'full', entities });
    logger.info(
      `Wrote ${entities.length} AWS account and OU entities to the catalog (${tree.accounts.length} active accounts, ${tree.organizationalUnits.length} OUs, ${linked.length} linked)`,
    );
  }

  /**
   * The catalog's Resource entities with an account id annotation, or
   * undefined when the catalog cannot be read (then every account is written:
   * a duplicate is better than a missing account).
   */
  private async existingAccountEntities(): Promise<Entity[] | undefined> {
    const { catalog, auth, logger } = this.options;
    try {
      const credentials = await auth.getOwnServiceCredentials();
      const { items } = await catalog.getEntities(
        {
          filter: AWS_ACCOUNT_ID_ANNOTATIONS.map(annotation => ({
            kind: 'Resource',
            [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
          })),
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.annotations',
          ],
        },
        { credentials },
      );
      return items;
    } catch (error) {
      logger.warn(
        `Could not read the catalog to find accounts that already have entities, so every account is written: ${error}`,
      );
      return undefined;
    }
  }
}
