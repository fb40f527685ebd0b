import * as z from 'zod';
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

const Recipients = z.array(z.object({ emailAddress: z.string(), diagnosticCode: z.string().optional() })).optional();
const timestamp = z.iso.datetime({ offset: true });

// Only what the handler reads; SES adds fields over time, so the rest passes unread.
const SesEmailEvent = z.object({
  source: z.literal('aws.ses'),
  detail: z.object({
    eventType: z.enum(emailEventTypes),
    mail: z.object({
      messageId: z.string().min(1),
      timestamp,
      destination: z.array(z.string()).optional(),
      tags: z.record(z.string(), z.array(z.string())).optional(),
    }),
    reject: z.object({ reason: z.string() }).optional(),
    delivery: z.object({ timestamp, smtpResponse: z.string().optional() }).optional(),
    bounce: z.object({ timestamp, bounceType: z.string(), bounceSubType: z.string(), bouncedRecipients: Recipients }).optional(),
    complaint: z.object({ timestamp, complaintFeedbackType: z.string().optional(), complainedRecipients: Recipients }).optional(),
    deliveryDelay: z.object({ timestamp, delayType: z.string().optional(), delayedRecipients: Recipients }).optional(),
  }),
});
type SesDetail = z.infer<typeof SesEmailEvent>['detail'];

/** The event type's own part: when it happened, whom it is about, and what the provider said. */
function detailsOf(detail: SesDetail): Pick<EmailEvent, 'recipient' | 'diagnostic' | 'bounce'> & { readonly at?: string } {
  const { delivery, bounce, complaint, deliveryDelay } = detail;
  switch (detail.eventType) {
    case 'Bounce':
      return bounce
        ? {
            at: bounce.timestamp,
            recipient: bounce.bouncedRecipients?.[0]?.emailAddress,
            diagnostic: bounce.bouncedRecipients?.[0]?.diagnosticCode,
            bounce: { bounceType: bounce.bounceType, bounceSubType: bounce.bounceSubType },
          }
        : {};
    case 'Complaint':
      return complaint ? { at: complaint.timestamp, recipient: complaint.complainedRecipients?.[0]?.emailAddress, diagnostic: complaint.complaintFeedbackType } : {};
    case 'DeliveryDelay':
      return deliveryDelay ? { at: deliveryDelay.timestamp, recipient: deliveryDelay.delayedRecipients?.[0]?.emailAddress, diagnostic: deliveryDelay.delayType } : {};
    case 'Delivery':
      return delivery ? { at: delivery.timestamp, diagnostic: delivery.smtpResponse } : {};
    default:
      return {};
  }
}

/** The event, or why it is not one to act on (malformed, an unknown type, or an email that is not ours). */
export function emailEventOf(raw: unknown): { readonly event: EmailEvent } | { readonly ignored: string } {
  const parsed = SesEmailEvent.safeParse(raw);
  if (!parsed.success) return { ignored: `not an SES email event: ${z.prettifyError(parsed.error)}` };
  const { detail } = parsed.data;
  const { eventType, mail, reject } = detail;
  const message = messageOfTags(mail.tags);
  if (!message) return { ignored: 'its tags name no message of ours' };
  const { at, recipient, ...details } = detailsOf(detail);
  const acceptedAt = new Date(mail.timestamp).toISOString();
  const to = recipient ?? mail.destination?.[0];
  return {
    event: {
      type: eventType,
      ...message,
      providerMessageId: mail.messageId,
      acceptedAt,
      occurredAt: at ? new Date(at).toISOString() : acceptedAt,
      ...(to ? { recipient: to.toLowerCase() } : {}),
      ...(reject ? { rejectReason: reject.reason } : {}),
      ...Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined)),
    },
  };
}
