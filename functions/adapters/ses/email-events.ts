import { z } from 'zod';
import { emailEventTypes, type EmailEvent, type EmailEventType } from '#domain/messages/provider-events.ts';
import { messageOfTags } from '#adapters/ses/message-tags.ts';

/**
 * SES email sending events as the configuration set's event destination puts them on the default
 * EventBridge bus: `source` aws.ses, a `detail-type` per event type, and as `detail` the same
 * event record SES publishes to SNS or Firehose (`eventType`, `mail` with our tags, and the
 * event's own object, e.g. `reject.reason`).
 */
export const sesDetailTypes = {
  Send: 'Email Sent',
  Reject: 'Email Rejected',
  Delivery: 'Email Delivered',
  Bounce: 'Email Bounced',
  Complaint: 'Email Complaint Received',
  DeliveryDelay: 'Email Delivery Delayed',
} as const satisfies Record<EmailEventType, string>;

/** The tag SES adds to every event, naming the configuration set the email was sent with. */
export const configurationSetTag = 'ses:configuration-set';

// Only what the evidence needs; SES adds fields over time, so the rest passes unread.
const SesEmailEvent = z.object({
  source: z.literal('aws.ses'),
  detail: z.object({
    eventType: z.enum(emailEventTypes),
    mail: z.object({
      messageId: z.string().min(1),
      timestamp: z.iso.datetime({ offset: true }),
      tags: z.record(z.string(), z.array(z.string())).optional(),
    }),
    reject: z.object({ reason: z.string() }).optional(),
  }),
});

/** The event, or why it is not one to act on (malformed, an unknown type, or an email that is not ours). */
export function emailEventOf(raw: unknown): { readonly event: EmailEvent } | { readonly ignored: string } {
  const parsed = SesEmailEvent.safeParse(raw);
  if (!parsed.success) return { ignored: `not an SES email event: ${z.prettifyError(parsed.error)}` };
  const { eventType, mail, reject } = parsed.data.detail;
  const message = messageOfTags(mail.tags);
  if (!message) return { ignored: 'its tags name no message of ours' };
  return {
    event: {
      type: eventType,
      ...message,
      providerMessageId: mail.messageId,
      acceptedAt: new Date(mail.timestamp).toISOString(),
      ...(reject ? { rejectReason: reject.reason } : {}),
    },
  };
}
