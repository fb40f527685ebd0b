import type { Language } from '#domain/values.ts';
import type { MessageEntityKind, TriggeringKind } from '#domain/messages/message-types.ts';
import type { EventTrigger } from '#domain/messages/events.ts';
import type { InboundMessageType } from '#domain/messages/conversation.ts';
import type { Anchor, AutomatedMessagesInput } from '#domain/messages/rules.ts';

/** One message's default texts in one language: an email and an SMS. */
export interface DefaultMessageTexts {
  readonly email: { readonly subject: string; readonly text: string };
  readonly sms: { readonly text: string };
}

type Page = AutomatedMessagesInput;
/**
 * Where an entry stands in the settings page (the AutomatedMessages document), dotted, e.g.
 * `bookingStatus.cancelled`: a path the document does not have fails the type check.
 */
export type PagePath = {
  [Key in keyof Page & string]: Key | (Page[Key] extends readonly unknown[] ? never : Page[Key] extends object ? `${Key}.${keyof Page[Key] & string}` : never);
}[keyof Page & string];

/** An event on the record, with `toStatus`: only changes to (or records created in) that status. */
export interface EventFiring {
  readonly on: EventTrigger;
  readonly toStatus?: string;
}

/** A time before or after the record's `anchor`, armed and sent only while the record is in one of `holdsWhile`. */
export interface Timing {
  readonly anchor: Anchor;
  readonly direction: 'before' | 'after';
  readonly holdsWhile: readonly string[];
}

/**
 * What sends a message type, and the settings page's entry (`page`) that switches it:
 * - an event: the entry has email (on unless switched off) and SMS switches;
 * - a time: sent while the entry is there and, with `mode`, has that mode; with `each`, the entry is
 *   a list and each element is a message of its own (`booking_reminder.1`, `.2`);
 * - an inbound item from a public widget: answered when the entry, an auto-reply, is enabled;
 * - only a custom rule (`/rules`) or an action on the client card: no entry.
 */
export type Sending = EventSending | TimedSending | AutoReplySending | OtherSending;
export interface EventSending {
  readonly entity: TriggeringKind;
  readonly page: PagePath;
  readonly fires: EventFiring;
  /**
   * Not sent about a record whose time had already passed when the event happened (a booking
   * entered afterwards): recorded as `skipped: in_the_past`, unless the entry's `sendForPast` is on.
   */
  readonly skipsPast?: true;
}
export interface TimedSending {
  readonly entity: TriggeringKind;
  readonly page: PagePath;
  readonly each?: true;
  readonly mode?: string;
  readonly fires: Timing;
  /**
   * Sent only while the client has booked nothing since (no other pending, confirmed or completed
   * booking starting at or after this one): checked when it fires, else `skipped: booked_again`.
   */
  readonly unlessBookedAgain?: true;
}
export interface AutoReplySending {
  readonly entity: 'message';
  readonly page: `autoReplies.${keyof Page['autoReplies'] & string}`;
  readonly fires: { readonly inbound: InboundMessageType };
}
export interface OtherSending {
  readonly entity: MessageEntityKind;
  readonly page?: undefined;
  readonly fires: 'custom rule' | 'client card';
}

/**
 * Everything about one message type: what it is about, who reads it, what sends it, the variables
 * only it has (beyond its entity's, message-variables.ts) and its default texts in every language.
 * From these: message-types.ts (the types), default-templates.ts (the texts), rules.ts (the
 * settings page's system rules, whose timed ones timed-messages.ts arms), message-variables.ts
 * (what a template may use); templates.ts renders and deliver.ts sends.
 */
export type MessageTypeDeclaration = Sending & MessageTypeAbout;
/** What every message type declares besides what sends it. */
export interface MessageTypeAbout {
  readonly description: string;
  /** A business message goes to the settings' contact email and into the notifications. */
  readonly audience: 'client' | 'business';
  /** Not strictly transactional: carries List-Unsubscribe, honours unsubscribe. */
  readonly marketing?: true;
  /** Its own variables, path → description, e.g. the date a rescheduled booking had before. */
  readonly variables?: Readonly<Record<string, string>>;
  /** A language left out fails the type check. */
  readonly texts: Readonly<Record<Language, DefaultMessageTexts>>;
  /**
   * What the booking widget's screen says to the visitor once the request is made (a template with
   * the message's variables), per language; the settings page's `screenText` replaces it.
   */
  readonly screen?: Readonly<Record<Language, string>>;
}
