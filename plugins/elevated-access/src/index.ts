export { elevatedAccessPlugin, ElevatedAccessPage } from './plugin';
