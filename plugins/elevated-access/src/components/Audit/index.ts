export { Audit } from './Audit';
