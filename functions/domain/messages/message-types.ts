import type { MessageTypeDeclaration } from '#domain/messages/types/declaration.ts';
import { bookingMessages } from '#domain/messages/types/booking.ts';
import { invoiceMessages } from '#domain/messages/types/invoice.ts';
import { estimateMessages } from '#domain/messages/types/estimate.ts';
import { orderMessages } from '#domain/messages/types/order.ts';
import { leadMessages } from '#domain/messages/types/lead.ts';
import { autoReplyMessages } from '#domain/messages/types/auto-replies.ts';
import { clientCardMessages } from '#domain/messages/types/client-card.ts';
import { reEngagementMessages } from '#domain/messages/types/re-engagement.ts';

/**
 * Every kind of message the system sends, each declared once in its family's module under types/:
 * the record it is about, who reads it, what sends it, its own variables and its default texts.
 * Templates, rules and the conversation all name messages by these keys.
 */
export const messageTypeDeclarations = {
  ...bookingMessages,
  ...invoiceMessages,
  ...estimateMessages,
  ...orderMessages,
  ...leadMessages,
  ...autoReplyMessages,
  ...clientCardMessages,
  ...reEngagementMessages,
} as const satisfies Record<string, MessageTypeDeclaration>;

export type MessageType = keyof typeof messageTypeDeclarations;
export const messageTypeNames = Object.keys(messageTypeDeclarations) as [MessageType, ...MessageType[]];
/** An outbound message type (not an inbound item's). */
export const isMessageType = (name: string): name is MessageType => Object.hasOwn(messageTypeDeclarations, name);

type About<Declaration extends MessageTypeDeclaration> = Pick<Declaration, 'entity' | 'description'> &
  (Declaration['audience'] extends 'business' ? { readonly audience: 'business' } : unknown) &
  (Declaration extends { readonly marketing: true } ? { readonly marketing: true } : { readonly marketing?: undefined });

/**
 * What each message type is about, as the template catalog describes it: its entity, description,
 * for a business message its audience, and for a message that is not strictly transactional `marketing`.
 */
export const messageTypes = Object.fromEntries(
  messageTypeNames.map((name) => {
    const { entity, description, audience, marketing }: MessageTypeDeclaration = messageTypeDeclarations[name];
    return [name, { entity, ...(audience === 'business' ? { audience } : {}), description, ...(marketing ? { marketing } : {}) }];
  }),
) as { readonly [Name in MessageType]: About<(typeof messageTypeDeclarations)[Name]> };

export const channels = ['email', 'sms'] as const;
export type Channel = (typeof channels)[number];

/** How long a message's subject and text may be, per channel (an SMS of 1600 characters is about ten segments). */
export const templateLimits = {
  subject: 200,
  text: { email: 10_000, sms: 1600 },
} as const satisfies { subject: number; text: Record<Channel, number> };

/**
 * How long a message may be once rendered, per channel: an SMS in segments (as billed), an email's
 * text in bytes of UTF-8, a subject in characters. A template that could render longer is refused
 * when saved; a message that still does is recorded as failed (`too_long`) instead of being sent.
 */
export const renderedLimits = {
  smsSegments: 10,
  emailTextBytes: 100 * 1024,
  // RFC 5322's longest line: a subject is one header line.
  subjectCharacters: 998,
} as const;

/** The record kinds whose changes can trigger messages (the evaluator's stream filter). */
export const triggeringKinds = ['booking', 'invoice', 'estimate', 'order', 'lead'] as const;
export type TriggeringKind = (typeof triggeringKinds)[number];

/**
 * What a message can be about: a triggering record, an inbound conversation item (an auto-reply
 * answers it) or the client itself (a message sent from the client card).
 */
export const messageEntityKinds = [...triggeringKinds, 'message', 'client'] as const;
export type MessageEntityKind = (typeof messageEntityKinds)[number];

/**
 * Every record kind the evaluator reads from the table's stream: the triggering records, and the
 * rules and settings page whose edits re-arm timed messages (`rearm` items carry that work on), and
 * the places whose edits move them: locations (hours, zone) and the settings (the business zone).
 */
export const evaluatedKinds = [...triggeringKinds, 'rule', 'ruleSettings', 'rearm', 'location', 'settings'] as const;
