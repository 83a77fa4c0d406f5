import { CallContext } from '../AccessControl';

/** How many callers' eligibility and approver scope are kept built. */
export const CALLERS_KEPT = 50;

/** Who the caller is, for what is kept built per caller. */
export const callerKey = (ctx: CallContext) =>
  JSON.stringify([
    ctx.caller.userEntityRef,
    [...ctx.caller.ownershipEntityRefs].sort(),
  ]);
