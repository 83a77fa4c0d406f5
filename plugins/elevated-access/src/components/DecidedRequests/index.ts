export { DecidedRequests } from './DecidedRequests';
