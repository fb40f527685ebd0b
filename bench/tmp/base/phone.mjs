export { parsePhoneNumberFromString } from 'libphonenumber-js/min';
