import { ActivityEventDto } from '@elevated-access/backstage-plugin-elevated-access-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ElevatedAccessApi } from '../api/ElevatedAccessApi';

/** A write the session made: PutBucketPolicy on payments-bucket. */
export const bucketPolicyEvent: ActivityEventDto = {
  eventId: 'e1',
  eventTime: '2026-11-21T10:10:00.000Z',
  eventName: 'PutBucketPolicy',
  eventSource: 's3.amazonaws.com',
  resources: ['payments-bucket'],
  readOnly: false,
};

/**
 * Types into the activity search and waits for the search to reach the
 * server (it waits for the typing to pause).
 */
export async function searchActivity(
  api: jest.Mocked<ElevatedAccessApi>,
  requestId: string,
  text: string,
) {
  await userEvent.type(screen.getByLabelText('Search activity'), text);
  await waitFor(
    () =>
      expect(api.getActivity).toHaveBeenLastCalledWith(requestId, {
        q: text,
        cursor: undefined,
      }),
    { timeout: 2000 },
  );
}
