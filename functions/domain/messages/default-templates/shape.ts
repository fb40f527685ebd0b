import type { MessageType } from '#domain/messages/message-types.ts';

/** One message's default texts in one language: an email and an SMS. */
export interface DefaultMessageTexts {
  readonly email: { readonly subject: string; readonly text: string };
  readonly sms: { readonly text: string };
}

/** Every message type must have defaults, so adding a type without them fails the type check. */
export type LanguageDefaults = Readonly<Record<MessageType, DefaultMessageTexts>>;
