import * as z from 'zod';
import { activeClientRef } from '#domain/clients.ts';
import { notFound } from '#domain/errors.ts';
import { locationChange, locationRef } from '#domain/locations.ts';
import { messageKind } from '#domain/messages/conversation.ts';
import {
  Order,
  OrderFeedEntry,
  OrderInput,
  OrderPatch,
  feedPage,
  orderEventKind,
  orderEventPrefix,
  orderEvents,
  orderFeed,
  orderKind,
  orderMessagePrefix,
} from '#domain/orders.ts';
import { statusFromList } from '#domain/settings.ts';
import { Instant } from '#domain/values.ts';
import { httpHandler } from '#http/http-handler.ts';
import { decodeJsonCursor, encodeJsonCursor } from '#http/json-cursor.ts';
import { IdParams, errors, mergedInput, pageFields, pageOf, recordRoutes } from '#http/record-routes.ts';
import { defineRoute } from '#http/route.ts';
import { apiDeps } from '#wiring/api.ts';
import { recordMessagesRoute } from '#api/record-messages.ts';
import { tenantSettings } from '#services/tenant-settings.ts';

const orderRoutes = recordRoutes({
  kind: orderKind,
  path: '/orders',
  tag: 'Work orders',
  record: Order,
  schemaId: 'Order',
  create: {
    body: OrderInput,
    async prepare(input, request, deps) {
      const { orderStatuses } = await tenantSettings(deps, request.tenantId);
      return {
        fields: { ...input, status: statusFromList(input.status as string | undefined, orderStatuses) },
        references: [activeClientRef(input.clientId), locationRef(input.locationId, orderKind)],
      };
    },
  },
  patch: {
    body: OrderPatch,
    async prepare(current, patch, request, deps) {
      const status = patch.status === undefined ? undefined : statusFromList(patch.status as string, (await tenantSettings(deps, request.tenantId)).orderStatuses);
      return { fields: mergedInput(OrderInput, current, { ...patch, status }), ...locationChange(current.locationId, patch.locationId, orderKind) };
    },
  },
  list: { defaultOrder: 'created', time: { schema: Instant, describes: 'scheduled time' }, byClient: true, byLocation: true, status: z.string().trim().min(1).max(40), embeds: ['client', 'location'] },
  remove: { dropsReferences: (current) => [locationRef(current.locationId, orderKind)] },
  alsoPut: (tenantId, previous, next) => orderEvents(tenantId, previous, next).map((record) => ({ kind: orderEventKind, record, expected: 'absent' as const })),
});

/**
 * An order has one history record per write that changed something and a few messages per change,
 * so its whole feed is read at once, at most this many of each, and merged by time in memory
 * (message ids do not sort by time). Pages are slices of it after the cursor's entry.
 */
const maxFeedSourceItems = 1000;

const FeedCursor = z.strictObject({ after: z.string().min(1) });

const eventFeed = defineRoute({
  method: 'GET',
  path: '/orders/{id}/events',
  tag: 'Work orders',
  auth: 'tenant',
  summary: 'The order’s history, oldest first: created, status and schedule changes, and every message sent (or not) about it',
  params: IdParams,
  query: z.strictObject(pageFields),
  responses: { 200: { description: 'A page of the order’s history', schema: pageOf(OrderFeedEntry) }, ...errors(400, 404) },
  async operation(request, deps) {
    const { tenantId } = request;
    const { id } = request.params;
    const [order, events, messages] = await Promise.all([
      deps.store.get(tenantId, orderKind, id),
      deps.store.list(tenantId, orderEventKind, { order: { by: 'id', prefix: orderEventPrefix(id) }, limit: maxFeedSourceItems }),
      deps.store.list(tenantId, messageKind, { order: { by: 'id', prefix: orderMessagePrefix(id) }, limit: maxFeedSourceItems }),
    ]);
    if (!order) throw notFound(orderKind, id);
    const after = request.query.cursor === undefined ? undefined : decodeJsonCursor(FeedCursor, request.query.cursor).after;
    const feed = orderFeed(events.items, messages.items);
    const page = feedPage(feed, after, request.query.limit);
    return { status: 200, body: { items: page.items, nextCursor: page.last === null ? null : encodeJsonCursor({ after: page.last }) } };
  },
});

export const routes = [...orderRoutes, eventFeed, recordMessagesRoute(orderKind, { path: '/orders', tag: 'Work orders' })];
export const handler = httpHandler(routes, apiDeps());
