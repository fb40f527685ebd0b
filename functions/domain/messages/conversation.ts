import { z } from 'zod';
import { channels, messageTypeNames } from '#domain/messages/message-types.ts';

/** One item of a client's conversation: a message to or from them, with what became of it. */
export const messageStatuses = ['sending', 'retrying', 'sent', 'not_sent', 'failed'] as const;
export type MessageStatus = (typeof messageStatuses)[number];

export const ConversationMessage = z
  .object({
    id: z.string(),
    clientId: z.string(),
    direction: z.enum(['outbound', 'inbound']),
    channel: z.enum(channels),
    messageType: z.enum(messageTypeNames),
    audience: z.enum(['client', 'business']),
    ruleId: z.string().optional(),
    entity: z.object({ kind: z.string(), id: z.string() }).optional(),
    to: z.string().optional(),
    subject: z.string().optional(),
    text: z.string().optional(),
    status: z.enum(messageStatuses),
    /** Why it was not sent: no_consent, no_address, stale (with what changed), or failed: the provider's error. */
    reason: z.string().optional(),
    providerMessageId: z.string().optional(),
    attempts: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    sentAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'ConversationMessage' });
export type ConversationMessage = z.infer<typeof ConversationMessage>;
