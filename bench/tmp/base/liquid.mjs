export { Liquid } from 'liquidjs';
