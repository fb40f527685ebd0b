export { DateTime } from 'luxon';
