import {
  AccessRequest,
  MeResponse,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ElevatedAccessApi } from '../../../api/ElevatedAccessApi';
import { me } from '../../../__testUtils__/fixtures';
import { renderWith } from '../../../__testUtils__/render';
import { ApprovalsInbox } from '../ApprovalsInbox';

/** What the approver may do with a pending request: approve or reject it. */
export const decidableCapabilities: AccessRequest['capabilities'] = {
  canApprove: true,
  canReject: true,
  canCancel: false,
  canRevoke: false,
  canReview: false,
};

/** The inbox on this API, seen by `who`: bob, an approver, unless said. */
export function renderInbox(
  api: jest.Mocked<ElevatedAccessApi>,
  who: MeResponse = me({ userEntityRef: 'user:default/bob', isApprover: true }),
) {
  return renderWith(<ApprovalsInbox />, { api, me: who });
}

/** Clicks a button (Approve, Reject) in the request's row once it shows. */
export async function clickInRow(r: AccessRequest, name: string) {
  await userEvent.click(
    within(await screen.findByTestId(`request-row-${r.id}`)).getByRole(
      'button',
      { name },
    ),
  );
}
