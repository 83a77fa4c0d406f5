export { Audit } from './Audit';
export { AuditArea } from './AuditArea';
export { Insights } from './Insights';
