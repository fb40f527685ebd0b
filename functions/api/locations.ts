import { Location, LocationInput, LocationPatch, locationKind } from '#domain/locations.ts';
import { httpHandler } from '#http/http-handler.ts';
import { mergedInput, recordRoutes } from '#http/record-routes.ts';
import { apiDeps } from '#wiring/api.ts';

export const routes = recordRoutes({
  kind: locationKind,
  path: '/locations',
  tag: 'Locations',
  record: Location.meta({ id: 'Location' }),
  create: { body: LocationInput, prepare: async (input) => ({ fields: input }) },
  patch: { body: LocationPatch, prepare: async (current, patch) => ({ fields: mergedInput(LocationInput, current, patch) }) },
  list: { defaultOrder: 'created', byClient: false },
  // Bookings and orders count the location they use (in their own transactions): one still used answers 409 in_use with the counts.
  remove: { unreferenced: true },
});

export const handler = httpHandler(routes, apiDeps());
