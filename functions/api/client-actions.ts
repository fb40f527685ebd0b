import * as z from 'zod';
import { businessDate } from '#domain/client-card.ts';
import { clientKind } from '#domain/clients.ts';
import { notFound } from '#domain/errors.ts';
import { invoiceKind } from '#domain/invoices.ts';
import { assertReachable, assertReminderDue, FreeFormMessage, manualMessage, type AboutRecord, type ManualMessageInput } from '#domain/messages/card-actions.ts';
import { channels } from '#domain/messages/message-types.ts';
import type { StoredRecord } from '#domain/record-store.ts';
import { RecordId } from '#domain/values.ts';
import type { AppDeps } from '#http/deps.ts';
import { errors, IdParams, load } from '#http/record-routes.ts';
import { defineRoute, type RouteRequest, type RouteResult } from '#http/route.ts';
import { remembering } from '#http/idempotency.ts';
import { tenantSettings } from '#services/tenant-settings.ts';

/**
 * The client card's actions: a payment reminder now, an invitation to book again, a message of the
 * business's own. Each queues one delivery request and answers 202 with the id the message will
 * have in the conversation (`GET /clients/{id}/messages`), where it shows with its status.
 */

const Queued = z
  .object({
    messageId: z.string().meta({ description: 'The message’s id in the client’s conversation' }),
    status: z.literal('queued'),
  })
  .meta({ id: 'QueuedMessage' });

const ChannelEmailByDefault = z.enum(channels).default('email').meta({ description: 'How to send it; email by default' });

const base = {
  tag: 'Clients',
  auth: 'tenant',
  params: IdParams,
  idempotencyKey: 'optional',
  responses: {
    202: { description: 'Queued for delivery; the conversation shows it with its status (sent, or not sent and why)', schema: Queued },
    ...errors(400, 404, 409, 413, 415),
  },
} as const;

type ActionRequest = RouteRequest<{ id: string }, unknown, unknown>;

/** The client named by the path, or 404; 409 when it is archived. */
async function reachableClient(deps: AppDeps, request: ActionRequest): Promise<StoredRecord> {
  const client = await load(deps, { ...request, ifMatch: undefined }, clientKind);
  assertReachable(client);
  return client;
}

const aboutOf = (kind: AboutRecord['kind'], record: StoredRecord): AboutRecord => ({ kind, id: record.id, version: record.version, status: String(record.status) });

async function queue(deps: AppDeps, request: ActionRequest, message: Omit<ManualMessageInput, 'tenantId' | 'clientId' | 'key'>): Promise<RouteResult> {
  const { messageId, request: body } = manualMessage({ ...message, tenantId: request.tenantId, clientId: request.params.id, key: deps.newId() }, deps.now());
  const answer = { status: 202, body: { messageId, status: 'queued' } };
  const queued = [{ id: messageId, body: JSON.stringify(body) }];
  // The key is remembered before queueing, so of two requests with one key only one queues a message of its own.
  const { remember } = remembering(request, answer, queued);
  if (remember) await deps.store.remember(request.tenantId, remember);
  await deps.queue.enqueue(queued);
  return answer;
}

const paymentReminder = defineRoute({
  ...base,
  method: 'POST',
  path: '/clients/{id}/payment-reminders',
  summary: 'Send the client a reminder of an overdue invoice now',
  body: z.strictObject({ invoiceId: RecordId.meta({ description: 'An issued invoice of this client, past its due date' }), channel: ChannelEmailByDefault }),
  async operation(request, deps) {
    const [client, invoice, settings] = await Promise.all([
      reachableClient(deps, request),
      deps.store.get(request.tenantId, invoiceKind, request.body.invoiceId),
      tenantSettings(deps, request.tenantId),
    ]);
    if (!invoice) throw notFound(invoiceKind, request.body.invoiceId);
    assertReminderDue(invoice, client.id, businessDate(deps.now(), settings.timeZone));
    // About the invoice, not the client: paid before delivery, the reminder is not sent.
    return queue(deps, request, { about: aboutOf('invoice', invoice), messageType: 'invoice_overdue', channel: request.body.channel });
  },
});

const bookingInvitation = defineRoute({
  ...base,
  method: 'POST',
  path: '/clients/{id}/booking-invitations',
  summary: 'Invite the client to book again',
  body: z.strictObject({ channel: ChannelEmailByDefault }),
  async operation(request, deps) {
    const client = await reachableClient(deps, request);
    return queue(deps, request, { about: aboutOf('client', client), messageType: 'booking_invitation', channel: request.body.channel });
  },
});

const freeForm = defineRoute({
  ...base,
  method: 'POST',
  path: '/clients/{id}/messages',
  summary: 'Send the client a message of your own by email or SMS',
  body: FreeFormMessage,
  async operation(request, deps) {
    const client = await reachableClient(deps, request);
    const { channel, subject, text } = request.body;
    return queue(deps, request, { about: aboutOf('client', client), messageType: 'free_form', channel, content: { text, ...(subject === undefined ? {} : { subject }) } });
  },
});

export const routes = [paymentReminder, bookingInvitation, freeForm];
