export { ActiveAccess } from './ActiveAccess';
