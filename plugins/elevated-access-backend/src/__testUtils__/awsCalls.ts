import { ThrottlingException } from '@aws-sdk/client-sso-admin';
import { SharedRateGate } from '../aws/CallQueue';

/** A shared rate gate that never waits and counts the slots booked, per bucket. */
export function countingGate() {
  const booked: string[] = [];
  return {
    booked,
    gateFor: (bucket: string): SharedRateGate => ({
      reserve: async () => {
        booked.push(bucket);
        return 0;
      },
    }),
  };
}

/** The error AWS answers with when a caller goes over its rate. */
export const throttled = () =>
  new ThrottlingException({
    message: 'Rate exceeded',
    $metadata: { httpStatusCode: 400 },
  });
