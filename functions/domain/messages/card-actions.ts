import * as z from 'zod';
import { isOverdue } from '#domain/client-card.ts';
import { conflict } from '#domain/errors.ts';
import type { Invoice } from '#domain/invoices.ts';
import { intentsOf, manualRuleId, type DeliveryRequest, type MessageContent } from '#domain/messages/message-intent.ts';
import { channels, renderedLimits, templateLimits, type Channel, type MessageType } from '#domain/messages/message-types.ts';
import { smsInfo } from '#domain/messages/sms-encoding.ts';

/**
 * Messages the business sends by hand from the client card (a payment reminder now, an invitation
 * to book again, a message of its own). They take the path every automated message takes, so
 * delivery applies consent, records them in the conversation and sends each once.
 */

/** What a message from the card is about, as the action found it: the client, or the invoice a reminder is about. */
export interface AboutRecord {
  readonly kind: 'client' | 'invoice';
  readonly id: string;
  readonly version: number;
  readonly status: string;
}

export interface ManualMessageInput {
  readonly tenantId: string;
  readonly clientId: string;
  readonly about: AboutRecord;
  readonly messageType: MessageType;
  readonly channel: Channel;
  /** A fresh id: with the message type, it makes the message unique (a repeated request gets its first answer instead). */
  readonly key: string;
  readonly content?: MessageContent;
}

/** The delivery request for a message sent from the card, and the id delivery records it under. */
export function manualMessage(input: ManualMessageInput, now: Date): { messageId: string; request: DeliveryRequest } {
  const { about } = input;
  const request: DeliveryRequest = {
    tenantId: input.tenantId,
    entity: { kind: about.kind, id: about.id, version: about.version },
    clientId: input.clientId,
    expected: { status: about.status, schedule: null },
    decidedAt: now.toISOString(),
    ...(input.content ? { content: input.content } : {}),
    messages: [{ ruleId: manualRuleId(input.messageType, input.key), messageType: input.messageType, channel: input.channel, audience: 'client', eventType: 'client_card' }],
  };
  return { messageId: intentsOf(request)[0]!.id, request };
}

/** An archived client is sent nothing from the card. */
export function assertReachable(client: { readonly id: string; readonly status?: unknown }): void {
  if (client.status === 'archived') throw conflict(`Client ${client.id} is archived; make it active again to send it messages`);
}

/** A payment reminder goes only for the client's own issued invoice, once its due date (`today`, the business's date) has passed. */
export function assertReminderDue(invoice: Pick<Invoice, 'id' | 'clientId' | 'status' | 'dueDate'>, clientId: string, today: string): void {
  if (invoice.clientId !== clientId) throw conflict(`Invoice ${invoice.id} belongs to another client, not to client ${clientId}`);
  if (invoice.status !== 'issued') throw conflict(`Invoice ${invoice.id} is ${invoice.status}; a payment reminder goes only for an issued, unpaid invoice`);
  if (!isOverdue(invoice, today)) throw conflict(`Invoice ${invoice.id} is due on ${invoice.dueDate} and is not overdue yet; a payment reminder goes after the due date`);
}

/** A message of the business's own, as the card sends it: plain text, a subject only by email, an SMS within SMS limits. */
export const FreeFormMessage = z
  .strictObject({
    channel: z.enum(channels),
    subject: z
      .string()
      .trim()
      .min(1)
      .max(templateLimits.subject)
      .regex(/^[^\r\n]*$/, 'must be a single line')
      .optional()
      .meta({ description: 'Email only; by default "A message from <business>"' }),
    text: z
      .string()
      .trim()
      .min(1)
      .max(templateLimits.text.email)
      .meta({
        description: `Plain text, sent as written (never read as a template): at most ${templateLimits.text.email} characters by email, ${renderedLimits.smsSegments} segments by SMS (the signature the template adds counts when it is sent)`,
      }),
  })
  .superRefine((message, context) => {
    if (message.channel !== 'sms') return;
    if (message.subject !== undefined) context.addIssue({ code: 'custom', path: ['subject'], message: 'an SMS has no subject; remove it' });
    // Counted as sent, so a text that could never go is refused now rather than failing as too_long.
    const { segments } = smsInfo(message.text);
    if (segments > renderedLimits.smsSegments) {
      context.addIssue({ code: 'custom', path: ['text'], message: `an SMS is at most ${renderedLimits.smsSegments} segments (this one is ${segments})` });
    }
  });
