/**
 * The Elevated Access module for `@backstage/plugin-catalog-backend`: the AWS
 * organisation's accounts and organizational units as `Resource` entities,
 * owned by the team their tags name.
 *
 * @packageDocumentation
 */

export { catalogModuleElevatedAccessAwsAccounts as default } from './module';
export {
  AWS_MANAGEMENT_ACCOUNT_ANNOTATION,
  ORGANIZATION_LOCATION_TYPE,
} from './entities';
