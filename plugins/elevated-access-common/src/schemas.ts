/*
 * Input schemas shared by the browser (form validation) and the backend
 * (authoritative validation). Every object is strict: unknown fields, such as
 * `status` or `approvers` in a create body, are errors rather than ignored.
 */

export {
  ABSOLUTE_MAX_DURATION_MINUTES,
  JUSTIFICATION_LIMITS,
  accountIdSchema,
  permissionSetArnSchema,
  ouIdSchema,
  principalRefSchema,
  ticketLink,
} from './schemaFields';
export * from './requestSchemas';
export * from './policySchemas';
