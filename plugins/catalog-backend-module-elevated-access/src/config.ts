import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { HumanDuration } from '@backstage/types';
import { readAwsConnectionConfig } from '@elevated-access/backstage-plugin-elevated-access-node';
import { EntitySettings, ownerRefFromTagValue } from './entities';

/** `provide` writes account and OU entities, `link` writes none. */
export type CatalogMode = 'provide' | 'link';

/** Everything the module reads from config, with defaults applied. */
export interface CatalogModuleSettings extends EntitySettings {
  mode: CatalogMode;
  aws: {
    region: string;
    endpoint?: string;
    /** Attempts per AWS call, the first included. */
    maxAttempts: number;
  };
  /** How often the organisation is read again. */
  refresh: HumanDuration;
}

/** Reads `elevatedAccess.catalog` and the `elevatedAccess.aws` keys it shares. */
export function readCatalogModuleSettings(root: Config): CatalogModuleSettings {
  const aws = root.getOptionalConfig('elevatedAccess.aws');
  const catalog = root.getOptionalConfig('elevatedAccess.catalog');

  const mode = catalog?.getOptionalString('mode') ?? 'provide';
  if (mode !== 'provide' && mode !== 'link') {
    throw new InputError(
      `elevatedAccess.catalog.mode must be provide or link, not ${mode}`,
    );
  }

  const ownerText = catalog?.getOptionalString('defaultOwner');
  const defaultOwner =
    ownerText === undefined ? undefined : ownerRefFromTagValue(ownerText);
  if (ownerText !== undefined && !defaultOwner) {
    throw new InputError(
      `elevatedAccess.catalog.defaultOwner is not a valid entity ref: ${ownerText}`,
    );
  }
  if (mode === 'provide' && !defaultOwner) {
    throw new InputError(
      'elevatedAccess.catalog.defaultOwner is required when elevatedAccess.catalog.mode is provide (the default). ' +
        'Set it to the group that owns accounts without an owner tag, e.g. group:default/platform-team, or set the mode to link.',
    );
  }

  const maxAttempts = catalog?.getOptionalNumber('maxAttempts') ?? 10;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new InputError(
      `elevatedAccess.catalog.maxAttempts must be a whole number of at least 1, not ${maxAttempts}`,
    );
  }

  return {
    mode,
    ownerTag: catalog?.getOptionalString('ownerTag') ?? 'owner',
    defaultOwner: defaultOwner ?? '',
    systemTag: catalog?.getOptionalString('systemTag') ?? 'system',
    sensitiveTag: catalog?.getOptionalString('sensitiveTag') ?? 'sensitive',
    aws: { ...readAwsConnectionConfig(root), maxAttempts },
    refresh: aws?.has('organizationRefresh')
      ? readDurationFromConfig(aws, { key: 'organizationRefresh' })
      : { minutes: 15 },
  };
}
