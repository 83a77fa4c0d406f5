export { elevatedAccessPlugin as default } from './plugin';
