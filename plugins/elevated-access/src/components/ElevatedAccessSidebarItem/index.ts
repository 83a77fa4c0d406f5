export { ElevatedAccessSidebarItem } from './ElevatedAccessSidebarItem';
