import * as z from 'zod';
import type { AnyRoute } from '#http/route.ts';

/**
 * Stable, readable operation ids derived from method and path: GET of a page → listBookings,
 * listClientBookings; other GET → getBooking, getClientCard; POST to a collection → createBooking;
 * POST of an action on a record → cancelBooking; PATCH → updateBooking; PUT → replaceSettings;
 * DELETE → deleteBooking. A route with an odd shape names its own (`operationId`).
 */

const pascal = (word: string) => word.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
const camel = (word: string) => pascal(word).replace(/^[A-Z]/, (letter) => letter.toLowerCase());
/** Names that are one document though plural. */
const keepPlural = new Set(['settings', 'automated-messages']);
const singular = (word: string) => (keepPlural.has(word) ? word : word.endsWith('ies') ? `${word.slice(0, -3)}y` : word.replace(/s$/, ''));
const isParam = (segment: string) => segment.startsWith('{');

const isPage = (schema: z.ZodType | undefined) => schema instanceof z.ZodObject && 'items' in schema.shape;

export function operationIdOf(route: AnyRoute): string {
  if (route.operationId) return route.operationId;
  const segments = route.path.split('/').filter(Boolean);
  let last = segments.length - 1;
  while (last > 0 && isParam(segments[last]!)) last -= 1;
  const noun = segments[last]!;
  const onItem = last < segments.length - 1;
  // The record a sub-resource or an action belongs to: `/clients/{id}/bookings` → Client.
  const parent = last >= 2 && isParam(segments[last - 1]!) ? pascal(singular(segments[last - 2]!)) : '';
  const one = `${parent}${pascal(singular(noun))}`;
  switch (route.method) {
    case 'GET':
      return isPage(route.responses[200]?.schema) ? `list${parent}${pascal(noun)}` : `get${one}`;
    case 'PATCH':
      return `update${one}`;
    case 'PUT':
      return `replace${one}`;
    case 'DELETE':
      return `delete${one}`;
    case 'POST': {
      const creates = !onItem && (parent === '' || route.idempotencyKey !== undefined || route.responses[201] !== undefined);
      return creates ? `create${one}` : `${camel(noun)}${parent}`;
    }
  }
}
