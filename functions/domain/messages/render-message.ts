import type { Client } from '#domain/clients.ts';
import type { Location } from '#domain/locations.ts';
import type { Settings } from '#domain/settings.ts';
import type { MessageContent } from '#domain/messages/message-intent.ts';
import { customTextFor, type AutomatedMessagesInput } from '#domain/messages/rules.ts';
import type { Channel, MessageType } from '#domain/messages/message-types.ts';
import { messageVariables } from '#domain/messages/message-variables.ts';
import { effectiveTemplate, renderTemplate, templateOverrideOf, type RenderedMessage } from '#domain/messages/templates.ts';

/** Everything a message's text is made of: what it is, the record it is about, and the tenant's texts. */
export interface RenderInput {
  readonly message: { readonly messageType: MessageType; readonly channel: Channel; readonly audience: 'client' | 'business'; readonly ruleId: string };
  readonly record: Readonly<Record<string, unknown>>;
  readonly previous?: Record<string, unknown> | undefined;
  readonly content?: MessageContent | undefined;
  readonly client: Client | undefined;
  readonly settings: Settings;
  readonly automated: AutomatedMessagesInput;
  /** The stored template item of the message type and channel, if the tenant has its own. */
  readonly template: Record<string, unknown> | undefined;
  readonly location: Location | undefined;
  /** Whether the plan lets the tenant's own texts (template overrides, custom texts) replace the defaults: on the free plan they give way. */
  readonly ownTexts: boolean;
  /** Appended after the template, so no template can drop it: the client's link to their preferences page. */
  readonly footer?: string | undefined;
}

/**
 * A message's text as delivery sends it (and as an upcoming message shows it now): the tenant's
 * template or the default in the client's language, with the record's values. Throws
 * RenderedTooLong when the values make it too long for the channel.
 */
export function renderMessage(input: RenderInput): RenderedMessage {
  const { message, client, settings, location } = input;
  const language = (message.audience === 'client' ? client?.language : undefined) ?? settings.defaultLanguage;
  const source = effectiveTemplate({
    messageType: message.messageType,
    channel: message.channel,
    language,
    override: input.ownTexts ? templateOverrideOf(input.template) : undefined,
    customText: input.ownTexts ? customTextFor(input.automated, message.ruleId) : undefined,
  });
  const variables = messageVariables({
    messageType: message.messageType,
    language,
    business: { name: settings.businessName, timeZone: settings.timeZone },
    ...(location ? { location: { name: String(location.name), timeZone: String(location.timeZone) } } : {}),
    client: { firstName: client?.firstName ?? '', ...(client?.lastName ? { lastName: client.lastName } : {}) },
    record: input.record,
    ...(input.previous ? { previous: input.previous } : {}),
    ...(input.content ? { content: input.content } : {}),
  });
  return renderTemplate(source, variables, message.channel, input.footer ? { footer: input.footer } : {});
}
