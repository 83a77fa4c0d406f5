export {
  EntityElevatedAccessCard,
  grantWhen,
  prefilledRequestPath,
} from './EntityElevatedAccessCard';
export { isElevatedAccessAvailable } from './isElevatedAccessAvailable';
