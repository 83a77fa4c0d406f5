import { Config } from '@backstage/config';

/**
 * Where the Elevated Access AWS clients connect.
 *
 * @public
 */
export interface AwsConnectionConfig {
  /** `elevatedAccess.aws.region`, else `AWS_REGION`, else `us-east-1`. */
  region: string;
  /** `elevatedAccess.aws.endpoint`: set only for a sandbox or a proxy. */
  endpoint?: string;
}

/**
 * Reads `elevatedAccess.aws.region` and `elevatedAccess.aws.endpoint`, which
 * the Elevated Access backend and its catalog module share.
 *
 * @public
 */
export function readAwsConnectionConfig(config: Config): AwsConnectionConfig {
  return {
    region:
      config.getOptionalString('elevatedAccess.aws.region') ??
      process.env.AWS_REGION ??
      'us-east-1',
    endpoint: config.getOptionalString('elevatedAccess.aws.endpoint'),
  };
}
