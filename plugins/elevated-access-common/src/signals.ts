/**
 * The signals channel the plugin publishes request changes on.
 *
 * @public
 */
export const ELEVATED_ACCESS_SIGNAL_CHANNEL = 'elevated-access';

/**
 * The message published on every change to a request, so open pages refresh.
 *
 * @public
 */
export type ElevatedAccessSignal = {
  type: 'request-changed';
  requestId: string;
  status: string;
};
