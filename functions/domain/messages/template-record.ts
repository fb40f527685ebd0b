import * as z from 'zod';
import { RecordMeta } from '#domain/record.ts';
import { Language } from '#domain/values.ts';
import { channels, messageTypeNames, type Channel, type MessageType } from '#domain/messages/message-types.ts';

/**
 * A tenant's own templates are stored as one record per message type and channel: kind `template`,
 * id `booking_confirmed.sms`, fields `{ messageType, channel, languages: { es: { subject?, text } } }`.
 */
export const templateKind = 'template';

/** A stored template record: the tenant's own texts of one message type and channel. */
export const TemplateRecord = z.strictObject({
  messageType: z.enum(messageTypeNames),
  channel: z.enum(channels),
  languages: z.partialRecord(Language, z.strictObject({ subject: z.string().optional(), text: z.string() })),
  ...RecordMeta.shape,
});
export type TemplateRecord = z.infer<typeof TemplateRecord>;
export const templateId = (messageType: MessageType, channel: Channel): string => `${messageType}.${channel}`;
