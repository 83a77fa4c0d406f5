export { ElevatedAccessPage } from './ElevatedAccessPage';
