import { languages, type Language } from '#domain/values.ts';
import { messageTypeDeclarations, messageTypeNames, type Channel, type MessageType } from '#domain/messages/message-types.ts';
import type { DefaultMessageTexts } from '#domain/messages/types/declaration.ts';

export type { DefaultMessageTexts } from '#domain/messages/types/declaration.ts';

/** Every message type has defaults: a declaration without texts in a language fails the type check. */
export type LanguageDefaults = Readonly<Record<MessageType, DefaultMessageTexts>>;

const inLanguage = (language: Language): LanguageDefaults =>
  Object.fromEntries(messageTypeNames.map((name) => [name, messageTypeDeclarations[name].texts[language]])) as Record<MessageType, DefaultMessageTexts>;

/**
 * The texts every tenant starts with, for every message type and channel, in each language: an
 * email (subject and text) and an SMS (text only), in Liquid with the variables of
 * message-variables.ts, as the message types declare them (types/). Tenants replace them per
 * language through the templates API.
 */
export const defaultTemplates: Readonly<Record<Language, LanguageDefaults>> = Object.fromEntries(
  languages.map((language) => [language, inLanguage(language)]),
) as Record<Language, LanguageDefaults>;

/** The default template of a message type and channel in a language. */
export function defaultTemplate(messageType: MessageType, channel: Channel, language: Language): { subject?: string; text: string } {
  const texts = defaultTemplates[language][messageType];
  return channel === 'email' ? { subject: texts.email.subject, text: texts.email.text } : { text: texts.sms.text };
}
