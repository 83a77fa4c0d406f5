/**
 * The Elevated Access backend plugin: just-in-time, approved and audited
 * access to AWS accounts through IAM Identity Center.
 *
 * @packageDocumentation
 */

export { elevatedAccessPlugin as default } from './plugin';
