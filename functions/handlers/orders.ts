import { z } from 'zod';
import { clientKind } from '#domain/clients.ts';
import { locationKind } from '#domain/locations.ts';
import { Order, OrderInput, OrderPatch, orderKind } from '#domain/orders.ts';
import { statusFromList } from '#domain/settings.ts';
import type { RecordRef } from '#domain/record-store.ts';
import { Instant } from '#domain/values.ts';
import { httpHandler } from '#http/http-handler.ts';
import { mergedInput, recordRoutes } from '#http/record-routes.ts';
import { appDeps } from '#handlers/wiring.ts';
import { tenantSettings } from '#handlers/tenant-settings.ts';

const locationRef = (id: unknown): RecordRef => ({ kind: locationKind, id: String(id), field: 'locationId' });

export const routes = recordRoutes({
  kind: orderKind,
  path: '/orders',
  tag: 'Work orders',
  record: Order.meta({ id: 'Order' }),
  create: {
    body: OrderInput,
    async prepare(input, request, deps) {
      const { orderStatuses } = await tenantSettings(deps, request.tenantId);
      return {
        fields: { ...input, status: statusFromList(input.status as string | undefined, orderStatuses) },
        references: [{ kind: clientKind, id: String(input.clientId), field: 'clientId' }, locationRef(input.locationId)],
      };
    },
  },
  patch: {
    body: OrderPatch,
    async prepare(current, patch, request, deps) {
      const status = patch.status === undefined ? undefined : statusFromList(patch.status as string, (await tenantSettings(deps, request.tenantId)).orderStatuses);
      return { fields: mergedInput(OrderInput, current, { ...patch, status }), references: patch.locationId ? [locationRef(patch.locationId)] : [] };
    },
  },
  list: { defaultOrder: 'created', time: { schema: Instant, describes: 'scheduled time' }, byClient: true, status: z.string().trim().min(1).max(40) },
  remove: {},
});

export const handler = httpHandler(routes, appDeps);
