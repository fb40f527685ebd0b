import * as z from 'zod';
import { Instant, type Language } from '#domain/values.ts';
import { messageTypes, type Channel, type MessageType } from '#domain/messages/message-types.ts';
import type { CustomRule } from '#domain/messages/rules.ts';

/**
 * What a client turned off from an unsubscribe link (RFC 8058 one-click, or the preferences page):
 * one kind of marketing message, all marketing email, or all email. Kept on the client card, per
 * channel, each entry with when and how; delivery reads it with the client it already loads.
 */

/** Everything not strictly transactional on the channel. */
export const allMarketing = 'marketing';
/** Every message on the channel, transactional ones too (auto-replies still answer the person's own request). */
export const allMessages = 'all';

export const unsubscribeSources = ['one_click', 'preferences_page'] as const;
export type UnsubscribeSource = (typeof unsubscribeSources)[number];

/** A marketing kind: a marketing message type's name, or `rule.<id>` for a custom rule marked marketing. */
const Kind = z.string().regex(/^(?:[a-z_]{1,60}|rule\.[A-Za-z0-9_-]{1,64})$/);
export const UnsubscribeEntry = z.strictObject({ at: Instant, source: z.enum(unsubscribeSources) });
export type UnsubscribeEntry = z.infer<typeof UnsubscribeEntry>;
export const Unsubscribed = z
  .partialRecord(z.enum(['email', 'sms']), z.record(Kind, UnsubscribeEntry))
  .meta({
    description:
      'What the client turned off through an unsubscribe link, per channel: a marketing kind (a message type such as booking_follow_up, or rule.<id> for a custom rule), `marketing` (all marketing) or `all` (every message but auto-replies), each with when and from where (one_click: the mail client’s List-Unsubscribe button; preferences_page)',
  });
export type Unsubscribed = z.infer<typeof Unsubscribed>;

/** The marketing kind a message belongs to, or undefined for a transactional one. */
export function marketingKindOf(messageType: MessageType, rule: Pick<CustomRule, 'id' | 'marketing'> | undefined): string | undefined {
  if (messageTypes[messageType].marketing) return messageType;
  return rule?.marketing ? `rule.${rule.id}` : undefined;
}

/** What the client asked to stop; `kind` only for a link from a marketing message. */
export type UnsubscribeScope = 'kind' | typeof allMarketing | typeof allMessages;

/** The key an unsubscribe of `scope` writes: the kind itself, or one that covers more. */
export const unsubscribeKey = (scope: UnsubscribeScope, kind: string | undefined): string => (scope === 'kind' ? (kind ?? allMarketing) : scope);

/**
 * Whether the client turned this message off: any message the channel's `all` covers (an auto-reply
 * answers the person's own request, so it still goes), a marketing one by its kind or `marketing`.
 */
export function isUnsubscribed(unsubscribed: Unsubscribed | undefined, channel: Channel, message: { readonly kind: string | undefined; readonly reply: boolean }): boolean {
  const entries = unsubscribed?.[channel];
  if (!entries) return false;
  if (entries[allMessages] && !message.reply) return true;
  return message.kind !== undefined && (entries[allMarketing] !== undefined || entries[message.kind] !== undefined);
}

/**
 * The client's map with the unsubscribe added, or undefined when it changes nothing (the same
 * key already there): a repeated click keeps the first time and source.
 */
export function withUnsubscribe(unsubscribed: Unsubscribed | undefined, channel: Channel, key: string, entry: UnsubscribeEntry): Unsubscribed | undefined {
  if (unsubscribed?.[channel]?.[key]) return undefined;
  return { ...unsubscribed, [channel]: { ...unsubscribed?.[channel], [key]: entry } };
}

const footers: Readonly<Record<Language, { readonly marketing: string; readonly preferences: string }>> = {
  en: { marketing: 'Don’t want emails like this? Unsubscribe or choose what you get:', preferences: 'Choose which emails you get:' },
  es: { marketing: '¿No quieres recibir correos como este? Date de baja o elige qué recibes:', preferences: 'Elige qué correos recibes:' },
  fr: { marketing: 'Vous ne souhaitez plus recevoir ce type d’e-mail ? Désabonnez-vous ou choisissez ce que vous recevez :', preferences: 'Choisissez les e-mails que vous recevez :' },
  it: { marketing: 'Non vuoi più ricevere email come questa? Annulla l’iscrizione o scegli cosa ricevere:', preferences: 'Scegli quali email ricevere:' },
};

/** The last lines of a client's email: its link to the preferences page, worded as an unsubscribe on a marketing message. */
export const preferencesFooter = (language: Language, link: string, marketing: boolean): string => `—\n${footers[language][marketing ? 'marketing' : 'preferences']}\n${link}`;
