import * as z from 'zod';
import { RecordMeta } from '#domain/record.ts';
import { Instant, Name, Notes, RecordId, sortableInstant } from '#domain/values.ts';
import { deriveEvents, type RecordImage } from '#domain/messages/events.ts';
import { scheduleOf } from '#domain/messages/message-intent.ts';
import { messageIdPrefixOf } from '#domain/identities.ts';
import { ConversationMessage } from '#domain/messages/conversation.ts';

const OrderFields = z.strictObject({
  clientId: RecordId,
  locationId: RecordId,
  title: Name,
  /** One of the tenant's order statuses; the first one when omitted. */
  status: z.string().trim().min(1).max(40),
  /** When the work is scheduled; null clears it. */
  scheduledAt: Instant.nullable(),
  notes: Notes,
});

export const OrderInput = OrderFields.partial({ status: true, scheduledAt: true, notes: true });
export const OrderPatch = OrderFields.omit({ clientId: true }).partial();
export const Order = OrderFields.partial({ scheduledAt: true, notes: true }).extend(RecordMeta.shape);
export type Order = z.infer<typeof Order>;

export const orderKind = 'order';

/**
 * An order's history: one record per change the business and the client care about (created,
 * status changed, schedule changed), written in the same transaction as the order, so the history
 * never misses or invents a change. Ids sort in write order under the order:
 * `<orderId>.<zero-padded order version>.<n>`.
 */
export const orderEventKind = 'orderEvent';

const Created = z.object({ type: z.literal('created'), at: z.iso.datetime(), status: z.string(), scheduledAt: z.string().nullable() });
const StatusChanged = z.object({ type: z.literal('status_changed'), at: z.iso.datetime(), from: z.string(), to: z.string() });
const ScheduleChanged = z.object({
  type: z.literal('schedule_changed'),
  at: z.iso.datetime(),
  from: z.string().nullable().meta({ description: 'The scheduled time before; null when it had none' }),
  to: z.string().nullable().meta({ description: 'The scheduled time after; null when it was cleared' }),
});
const OrderChange = z.discriminatedUnion('type', [Created, StatusChanged, ScheduleChanged]);
export type OrderChange = z.infer<typeof OrderChange>;
export const OrderEvent = z.strictObject({ orderId: z.string(), orderVersion: z.number().int(), change: OrderChange, ...RecordMeta.shape });
export type OrderEvent = z.infer<typeof OrderEvent>;

/** Every order event id starts with this; listing by it gives the order's history in order. */
export const orderEventPrefix = (orderId: string): string => `${orderId}.`;

/** Messages about an order: their ids start with the entity they are about. */
export const orderMessagePrefix = (orderId: string): string => messageIdPrefixOf({ kind: orderKind, id: orderId });

// Wide enough that string order stays version order for any order's life.
const versionDigits = 9;

/** The history records one write of an order adds, from the same events the message rules see. */
export function orderEvents(tenantId: string, previous: RecordImage | undefined, next: RecordImage & { readonly updatedAt: string }): OrderEvent[] {
  const at = next.updatedAt;
  return deriveEvents(orderKind, tenantId, previous, next).map((event, n): OrderEvent => {
    const change: OrderChange =
      event.trigger === 'created'
        ? { type: 'created', at, status: event.status, scheduledAt: scheduleOf(orderKind, next) }
        : event.trigger === 'status_changed'
          ? { type: 'status_changed', at, from: String(event.previousStatus), to: event.status }
          : { type: 'schedule_changed', at, from: previous ? scheduleOf(orderKind, previous) : null, to: scheduleOf(orderKind, next) };
    return {
      id: `${orderEventPrefix(next.id)}${String(next.version).padStart(versionDigits, '0')}.${n}`,
      orderId: next.id,
      orderVersion: next.version,
      change,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
  });
}

const MessageSent = z.object({
  type: z.literal('message'),
  at: z.iso.datetime().meta({ description: 'When delivery took the message up' }),
  messageId: z.string(),
  messageType: ConversationMessage.shape.messageType,
  channel: ConversationMessage.shape.channel,
  audience: ConversationMessage.shape.audience,
  status: ConversationMessage.shape.status,
  reason: z.string().optional().meta({ description: 'Why it was not sent, when it was not, or why it was cancelled' }),
  dueAt: z.iso.datetime().optional().meta({ description: 'A scheduled message: when it is due to go' }),
});

export const OrderFeedEntry = z.discriminatedUnion('type', [Created, StatusChanged, ScheduleChanged, MessageSent]).meta({ id: 'OrderFeedEntry' });
export type OrderFeedEntry = z.infer<typeof OrderFeedEntry>;

export interface KeyedFeedEntry {
  /** Where the entry sorts: its time, then changes before the messages they caused, then its id. */
  readonly key: string;
  readonly entry: OrderFeedEntry;
}

/** The order's changes and messages as one feed, in time order. */
export function orderFeed(events: readonly OrderEvent[], messages: readonly ConversationMessage[]): KeyedFeedEntry[] {
  const changes = events.map((event): KeyedFeedEntry => ({ key: `${sortableInstant(event.change.at)}#0#${event.id}`, entry: event.change }));
  const sent = messages.map(
    (message): KeyedFeedEntry => ({
      key: `${sortableInstant(message.createdAt)}#1#${message.id}`,
      entry: {
        type: 'message',
        at: message.createdAt,
        messageId: message.id,
        messageType: message.messageType,
        channel: message.channel,
        audience: message.audience,
        status: message.status,
        ...(message.reason === undefined ? {} : { reason: message.reason }),
        ...(message.dueAt === undefined ? {} : { dueAt: message.dueAt }),
      },
    }),
  );
  return [...changes, ...sent].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The entries after the one keyed `after`; `last` is the key to go on from, or null at the end. */
export function feedPage(feed: readonly KeyedFeedEntry[], after: string | undefined, limit: number): { items: OrderFeedEntry[]; last: string | null } {
  const rest = after === undefined ? feed : feed.filter((item) => item.key > after);
  const page = rest.slice(0, limit);
  return { items: page.map((item) => item.entry), last: rest.length > limit ? page[page.length - 1]!.key : null };
}
