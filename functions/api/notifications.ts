import * as z from 'zod';
import { Notification, notificationKind } from '#domain/notifications.ts';
import { revise } from '#domain/record.ts';
import { httpHandler } from '#http/http-handler.ts';
import { errors, load, pageFields, pageOf, withEtag } from '#http/record-routes.ts';
import { defineRoute } from '#http/route.ts';
import { apiDeps } from '#wiring/api.ts';

/**
 * The business's notifications list. Delivery creates the notifications; the business only reads
 * them and marks them read, so there is no create, edit or delete here.
 */

const base = { tag: 'Notifications', auth: 'tenant' as const };

/** A notification's id is its message's id (`booking.<id>.v3.system.booking_cancelled.sms`), dots and all. */
const NotificationParams = z.strictObject({
  id: z
    .string()
    .regex(/^[\w.:+-]{1,512}$/, 'must be a notification id')
    .meta({ description: 'A notification id as listed' }),
});

export const routes = [
  defineRoute({
    ...base,
    method: 'GET',
    path: '/notifications',
    summary: 'List notifications, newest first',
    query: z.strictObject({
      ...pageFields,
      read: z.enum(['true', 'false']).optional().meta({ description: 'Only read (true) or unread (false) notifications' }),
    }),
    responses: { 200: { description: 'A page of notifications', schema: pageOf(Notification) }, ...errors(400) },
    async operation(request, deps) {
      const { limit, cursor, read } = request.query;
      const page = await deps.store.list(request.tenantId, notificationKind, {
        order: { by: 'time', newestFirst: true },
        limit,
        ...(cursor === undefined ? {} : { cursor }),
        ...(read === undefined ? {} : { where: { read: read === 'true' } }),
      });
      return { status: 200, body: page };
    },
  }),
  defineRoute({
    ...base,
    method: 'GET',
    path: '/notifications/{id}',
    summary: 'Get a notification',
    params: NotificationParams,
    responses: { 200: { description: 'The notification; ETag carries its version', schema: Notification }, ...errors(400, 404) },
    async operation(request, deps) {
      return withEtag(await load(deps, { ...request, ifMatch: undefined }, notificationKind));
    },
  }),
  defineRoute({
    ...base,
    method: 'POST',
    path: '/notifications/{id}/read',
    operationId: 'markNotificationRead',
    summary: 'Mark a notification read (again is a no-op)',
    params: NotificationParams,
    responses: { 200: { description: 'The notification, now read', schema: Notification }, ...errors(400, 404, 412) },
    async operation(request, deps) {
      const current = await load(deps, request, notificationKind);
      // Already read: nothing to write, and readAt keeps the first time it was read.
      if (current.read === true) return withEtag(current);
      const now = deps.now();
      const next = revise(current, { read: true, readAt: now.toISOString() }, now);
      await deps.store.put(request.tenantId, notificationKind, next, { expected: current.version });
      return withEtag(next);
    },
  }),
];

export const handler = httpHandler(routes, apiDeps());
