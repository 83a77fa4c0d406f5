export { RequestDetail } from './RequestDetail';
