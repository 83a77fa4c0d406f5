/**
 * The plugin id, also the signals channel and the notification topic.
 *
 * @public
 */
export const ELEVATED_ACCESS_PLUGIN_ID = 'elevated-access';

/**
 * Catalog annotation that names a user's IAM Identity Center user name when it
 * differs from their catalog name or email.
 *
 * @public
 */
export const IDENTITY_CENTER_USER_NAME_ANNOTATION =
  'aws.amazon.com/identity-center-user-name';
