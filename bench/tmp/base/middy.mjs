export { default } from '@middy/core';
