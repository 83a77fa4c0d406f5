import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';

/** What the request rules read of a request. */
export type RequestFacts = Pick<
  AccessRequest,
  | 'requesterRef'
  | 'status'
  | 'approverRefs'
  | 'accountName'
  | 'permissionSetName'
>;

/** What a review looks at in a request. */
export type ReviewFacts = RequestFacts &
  Pick<
    AccessRequest,
    'breakGlass' | 'grantedAt' | 'endedAt' | 'activityComplete' | 'review'
  >;
