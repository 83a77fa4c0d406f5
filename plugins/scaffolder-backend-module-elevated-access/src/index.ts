/**
 * The Elevated Access module for `@backstage/plugin-scaffolder-backend`: the
 * `elevated-access:request` action, which requests elevated access to an AWS
 * account as the user who runs the template.
 *
 * @packageDocumentation
 */

export { scaffolderModuleElevatedAccess as default } from './module';
export {
  createElevatedAccessRequestAction,
  ELEVATED_ACCESS_REQUEST_ACTION_ID,
} from './actions/requestElevatedAccess';
