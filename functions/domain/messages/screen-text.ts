import type { FieldIssue } from '#domain/errors.ts';
import type { Language } from '#domain/values.ts';
import { messageTypeDeclarations, messageTypeNames, type MessageType } from '#domain/messages/message-types.ts';
import type { MessageTypeDeclaration } from '#domain/messages/types/declaration.ts';
import { entryAt, type AutomatedMessagesInput } from '#domain/messages/rules.ts';
import { messageVariables, type MessageContextInput } from '#domain/messages/message-variables.ts';
import { renderTemplate, validateTemplate } from '#domain/messages/templates.ts';

/**
 * The booking widget's confirmation screen: what the visitor reads once a booking request is made,
 * in their language. Each message type that answers a new booking in a status (confirmed, pending)
 * declares its default screen (types/booking.ts); its settings-page entry may hold the business's
 * own, per language, under `screenText`.
 */

interface Screen {
  readonly messageType: MessageType;
  /** The booking status a new booking has when this screen shows. */
  readonly status: string;
  /** The settings-page entry whose `screenText` replaces the defaults. */
  readonly page: string;
  readonly defaults: Readonly<Record<Language, string>>;
}

const screens: readonly Screen[] = messageTypeNames.flatMap((messageType): Screen[] => {
  const declared: MessageTypeDeclaration = messageTypeDeclarations[messageType];
  const { fires, page, screen } = declared;
  if (!screen || !page || typeof fires !== 'object' || !('on' in fires) || fires.on !== 'created' || !fires.toStatus) return [];
  return [{ messageType, status: fires.toStatus, page, defaults: screen }];
});

type ScreenTexts = Partial<Record<Language, string>>;
const ownTexts = (settings: AutomatedMessagesInput, screen: Screen): ScreenTexts => entryAt<{ screenText?: ScreenTexts }>(settings, screen.page).screenText ?? {};

/** Every screen text the business wrote on the settings page, where it stands and for which message type. */
export function customScreenTexts(settings: AutomatedMessagesInput): { path: string; messageType: MessageType; text: string }[] {
  return screens.flatMap((screen) =>
    Object.entries(ownTexts(settings, screen)).map(([language, text]) => ({ path: `${screen.page}.screenText.${language}`, messageType: screen.messageType, text })),
  );
}

/** What is wrong with the business's screen texts: each is a template of its message type's variables, checked as an email's text. */
export function screenTextIssues(settings: AutomatedMessagesInput): FieldIssue[] {
  return customScreenTexts(settings).flatMap(({ path, messageType, text }) =>
    validateTemplate({ subject: '-', text }, messageType, 'email')
      .filter((issue) => issue.path === 'text')
      .map((issue) => ({ path, message: issue.message })),
  );
}

/** The message type whose screen a new booking in this status shows (confirmed or pending, the statuses a booking starts in). */
export function screenTypeFor(status: string): MessageType {
  const screen = screens.find((candidate) => candidate.status === status);
  if (!screen) throw new Error(`No message type declares the screen of a booking made ${status}`);
  return screen.messageType;
}

/** Whether a message type has a confirmation screen. */
export const hasScreen = (messageType: MessageType): boolean => screens.some((screen) => screen.messageType === messageType);

/** The screen's template in a language: the business's own, else the default. */
export function screenTemplate(settings: AutomatedMessagesInput, messageType: MessageType, language: Language): string {
  const screen = screens.find((candidate) => candidate.messageType === messageType);
  if (!screen) throw new Error(`${messageType} has no confirmation screen`);
  return ownTexts(settings, screen)[language] ?? screen.defaults[language];
}

/**
 * The screen rendered for a booking just requested, as plain text. The caller passes the names the
 * visitor typed, never a client card's, so the screen reads the same whether they were a client.
 */
export const renderScreenText = (settings: AutomatedMessagesInput, context: MessageContextInput): string =>
  renderScreenTemplate(screenTemplate(settings, context.messageType, context.language), messageVariables(context));

/** A screen template rendered with the given variables (the sample data, in a preview). */
export const renderScreenTemplate = (template: string, variables: Record<string, unknown>): string => renderTemplate({ text: template }, variables, 'email').text;
