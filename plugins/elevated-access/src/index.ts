/**
 * Elevated Access frontend plugin: request, approve, audit and administer
 * just-in-time access to AWS accounts.
 *
 * @packageDocumentation
 */
export {
  elevatedAccessPlugin,
  ElevatedAccessPage,
  ElevatedAccessSidebarItem,
  EntityElevatedAccessCard,
} from './plugin';
export { isElevatedAccessAvailable } from './components/EntityElevatedAccessCard/isElevatedAccessAvailable';
export { rootRouteRef, requestRouteRef } from './routes';
export * from './api/ElevatedAccessApi';
export { ElevatedAccessClient } from './api/ElevatedAccessClient';
