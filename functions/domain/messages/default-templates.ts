import type { Language } from '#domain/values.ts';
import type { Channel, MessageType } from '#domain/messages/message-types.ts';
import type { LanguageDefaults } from '#domain/messages/default-templates/shape.ts';
import { en } from '#domain/messages/default-templates/en.ts';
import { es } from '#domain/messages/default-templates/es.ts';
import { fr } from '#domain/messages/default-templates/fr.ts';
import { it } from '#domain/messages/default-templates/it.ts';

export type { DefaultMessageTexts, LanguageDefaults } from '#domain/messages/default-templates/shape.ts';

/**
 * The texts every tenant starts with, for every message type and channel, in each language: an
 * email (subject and text) and an SMS (text only), in Liquid with the variables of
 * message-variables.ts. Tenants replace them per language through the templates API.
 */
export const defaultTemplates: Readonly<Record<Language, LanguageDefaults>> = { en, es, fr, it };

/** The default template of a message type and channel in a language. */
export function defaultTemplate(messageType: MessageType, channel: Channel, language: Language): { subject?: string; text: string } {
  const texts = defaultTemplates[language][messageType];
  return channel === 'email' ? { subject: texts.email.subject, text: texts.email.text } : { text: texts.sms.text };
}
