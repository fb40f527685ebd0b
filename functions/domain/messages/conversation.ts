import * as z from 'zod';
import { channels, messageTypeNames } from '#domain/messages/message-types.ts';
import { emailEventTypes } from '#domain/messages/provider-events.ts';

/**
 * One item of a client's conversation: a message to or from them, with what became of it. A timed
 * or delayed message is `scheduled` from the moment it is armed, and `cancelled` (with the reason)
 * when an edit disarms it; an outbound message is `sending` (or `retrying`) only while a sender
 * works on it, and delivery ends it in exactly one of `sent`, `not_sent`, `failed` or `unknown`
 * (its sender stopped after the provider call and the provider keeps no record that could tell
 * whether it took the message). The provider's events then move a sent (or unsettled) email on,
 * never back, in the order of `deliveryRanks` (provider-events.ts): `sent` < `delayed` <
 * `delivered` < `bounced` | `complained` | `rejected`.
 */
export const messageStatuses = ['scheduled', 'cancelled', 'sending', 'retrying', 'sent', 'not_sent', 'failed', 'unknown', 'delayed', 'delivered', 'bounced', 'complained', 'rejected', 'received'] as const;
/**
 * The statuses delivery leaves as they are: the provider's outcomes only follow a send, and a
 * `cancelled` message whose schedule still fired (its disarm failed) is not sent; only arming it
 * again (the same instant called for anew) revives it.
 */
export const finalStatuses: readonly MessageStatus[] = ['sent', 'not_sent', 'failed', 'unknown', 'delayed', 'delivered', 'bounced', 'complained', 'rejected', 'cancelled'];
export type MessageStatus = (typeof messageStatuses)[number];
/** The statuses of a message the provider took (the client may have it): sent, and what its events said after. */
export const takenStatuses: readonly MessageStatus[] = ['sent', 'delayed', 'delivered', 'bounced', 'complained'];

/**
 * What a client sends the business through its public widgets. Each is kept in the conversation as
 * an inbound item (status `received`); the first three get the settings page's auto-reply.
 */
export const inboundMessageTypes = ['contact_form', 'client_message', 'document_upload', 'booking_request'] as const;
export type InboundMessageType = (typeof inboundMessageTypes)[number];

/** Widgets reach the business on the web; replies go by email or SMS. */
export const conversationChannels = [...channels, 'web'] as const;

/** One provider event on a message's history: its type, when the provider says it happened, and its diagnostic. */
export const DeliveryEvent = z
  .object({
    type: z.enum(emailEventTypes),
    at: z.iso.datetime(),
    /** Bounce: `Permanent/General: 550 5.1.1 …`; Complaint: the feedback type; Reject: the reason; DeliveryDelay: the delay type. */
    diagnostic: z.string().optional(),
  })
  .meta({ id: 'DeliveryEvent' });
export type DeliveryEvent = z.infer<typeof DeliveryEvent>;

export const ConversationMessage = z
  .object({
    id: z.string(),
    clientId: z.string(),
    direction: z.enum(['outbound', 'inbound']),
    channel: z.enum(conversationChannels),
    messageType: z.enum([...messageTypeNames, ...inboundMessageTypes]),
    audience: z.enum(['client', 'business']),
    ruleId: z.string().optional(),
    /** What the message is about (a booking, an invoice); for an inbound item, what it brought (a document, a booking request). */
    entity: z.object({ kind: z.string(), id: z.string() }).optional(),
    to: z.string().optional(),
    subject: z.string().optional(),
    text: z.string().optional(),
    status: z.enum(messageStatuses),
    /**
     * Why it was not sent: no_consent, no_address, suppressed (with the event that suppressed the
     * address), opted_out, unsubscribed, plan, sms_budget_exhausted, skipped (too_late, in_the_past,
     * booked_again, outside_business_hours), stale (with what changed), failed: the provider's error,
     * or unknown: why evidence cannot tell; for bounced, complained and rejected, the provider's
     * diagnostic; for a `cancelled` one, what disarmed it (see `cancelReasons`).
     */
    reason: z.string().optional(),
    /** Scheduled: when it is due to go (after any move into business hours). */
    dueAt: z.iso.datetime().optional(),
    providerMessageId: z.string().optional(),
    /** Inbound: where an auto-reply goes, the address the person wrote from (email first, else their phone). */
    replyChannel: z.enum(channels).optional(),
    replyTo: z.string().optional(),
    /**
     * Inbound: who the form says wrote, as they typed it. An auto-reply greets them by this name,
     * never the card's; an address here that the card lacks is one another card holds.
     */
    sender: z.object({ firstName: z.string(), lastName: z.string().optional(), email: z.string().optional(), phone: z.string().optional() }).optional(),
    /** Inbound: the custom field values the form carried, by client field id. */
    fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    attempts: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    sentAt: z.iso.datetime().optional(),
    /** The provider's events about it (SES), oldest first, each once; at most `maxDeliveryEvents`. */
    deliveryEvents: z.array(DeliveryEvent).optional(),
    /** How a message was settled when not by its own sender: from the provider's evidence on a later delivery, or by the provider's event (SES Send). */
    settledBy: z.enum(['evidence', 'ses_event']).optional(),
  })
  .meta({ id: 'ConversationMessage' });
export type ConversationMessage = z.infer<typeof ConversationMessage>;

/** The kind conversation items are stored under (`message#<id>`), outbound and inbound alike. */
export const messageKind = 'message';

/**
 * Why an armed message was disarmed: its record moved in time, was deleted or left the statuses
 * the message holds in (`record_<status>`: record_cancelled, record_paid, record_accepted…), moved
 * to another location, its rule changed, or its place changed (a location's hours or zone, the
 * business zone) and it is now due at another instant; a re-engagement, because the client booked again.
 */
export type CancelReason = 'rescheduled' | 'record_deleted' | `record_${string}` | 'location_changed' | 'rule_changed' | 'place_changed' | 'booked_again';

/** A disarmed message's id and why. */
export interface Cancellation {
  readonly id: string;
  readonly reason: CancelReason;
}
