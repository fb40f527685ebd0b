import type { MessageTag } from '@aws-sdk/client-sesv2';

/**
 * The SES message tags of an email: how its events (Send, Reject, and later delivery, bounce and
 * complaint) find the message again. SES allows tag names and values of 1 to 256 ASCII letters,
 * digits, `_` and `-` only, and returns the tags in each event's `mail.tags` as lists of values.
 *
 * - `tenant`: the tenant id as it is; tenant ids are already `[A-Za-z0-9_-]`.
 * - `message`: the message id, base64url (no padding), because message ids hold dots
 *   (`booking.<id>.v3.system.booking_cancelled.email`).
 * - `type`: the message type as it is (`booking_confirmation`), for reading and metrics.
 * - `correlation`: the correlation id of the request the message comes from, when it is one SES
 *   allows (functions/correlation.ts), so SES's event records lead back to the API request.
 */
export const messageTagNames = { tenant: 'tenant', message: 'message', type: 'type', correlation: 'correlation' } as const;

/** What SES allows as a tag value. */
const TAG_VALUE = /^[A-Za-z0-9_-]{1,256}$/;

export interface TaggedMessage {
  readonly tenantId: string;
  readonly messageId: string;
}

/**
 * The `EmailTags` of a message's email. A message id too long for one tag value (over 192 bytes
 * in UTF-8) goes without its `message` tag: the email still goes, only its events cannot find it.
 */
export function emailTagsFor(message: TaggedMessage & { readonly messageType: string; readonly correlationId?: string }): MessageTag[] {
  const [tenant, ...identity] = identityTagsFor(message);
  const tags: MessageTag[] = [tenant!, { Name: messageTagNames.type, Value: plainValue('message type', message.messageType) }, ...identity];
  if (message.correlationId !== undefined && TAG_VALUE.test(message.correlationId)) tags.push({ Name: messageTagNames.correlation, Value: message.correlationId });
  return tags;
}

/** The tags that name the message (`tenant`, and `message` where the id fits a tag value): what `messageOfTags` reads back. */
export function identityTagsFor(message: TaggedMessage): MessageTag[] {
  const tags: MessageTag[] = [{ Name: messageTagNames.tenant, Value: plainValue('tenant id', message.tenantId) }];
  const encoded = Buffer.from(message.messageId, 'utf8').toString('base64url');
  if (TAG_VALUE.test(encoded)) tags.push({ Name: messageTagNames.message, Value: encoded });
  return tags;
}

/**
 * The message an SES event's `mail.tags` name, or undefined when they name none of ours (an email
 * sent by something else, or tags that were not written by `emailTagsFor`).
 */
export function messageOfTags(tags: Readonly<Record<string, readonly string[]>> | undefined): TaggedMessage | undefined {
  const tenantId = single(tags?.[messageTagNames.tenant]);
  const encoded = single(tags?.[messageTagNames.message]);
  if (tenantId === undefined || encoded === undefined || !TAG_VALUE.test(tenantId) || !TAG_VALUE.test(encoded)) return undefined;
  const messageId = Buffer.from(encoded, 'base64url').toString('utf8');
  // Node decodes any string leniently; only the canonical encoding of valid UTF-8 is ours.
  if (messageId === '' || Buffer.from(messageId, 'utf8').toString('base64url') !== encoded) return undefined;
  return { tenantId, messageId };
}

function plainValue(what: string, value: string): string {
  if (!TAG_VALUE.test(value)) throw new Error(`A ${what} must be 1-256 letters, digits, _ or - to be an SES tag value: "${value}"`);
  return value;
}

const single = (values: readonly string[] | undefined): string | undefined => (values?.length === 1 ? values[0] : undefined);
