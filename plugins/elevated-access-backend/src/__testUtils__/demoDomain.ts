import {
  ApproverPolicy,
  EligibilityPolicy,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { OrgTree } from '../domain/OrgTree';
import {
  DEMO_APPROVERS,
  DEMO_ELIGIBILITY,
  demoTargets,
  ownershipOf,
  userRef,
} from './fixtures';

/** The demo organisation's tree, as the domain functions take it. */
export const tree = new OrgTree(demoTargets());

/** A demo persona as the caller of a domain function. */
export const caller = (name: string) => ({
  userEntityRef: userRef(name),
  ownershipEntityRefs: ownershipOf(name),
});

const meta = { version: 1, createdAt: '', updatedAt: '', updatedBy: '' };

/** The demo eligibility policies as stored (ids e0, e1, ...). */
export const eligibility: EligibilityPolicy[] = DEMO_ELIGIBILITY.map(
  (p, i) => ({
    ...p,
    breakGlass: Boolean(p.breakGlass),
    id: `e${i}`,
    ...meta,
  }),
);

/** The demo approver policies as stored (ids a0, a1, ...). */
export const approverPolicies: ApproverPolicy[] = DEMO_APPROVERS.map(
  (p, i) => ({
    ...p,
    id: `a${i}`,
    ...meta,
  }),
);
