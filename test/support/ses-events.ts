import { sesDetailTypes } from '#adapters/ses/email-events.ts';
import type { EmailEventType } from '#domain/messages/provider-events.ts';

/**
 * An SES email sending event as EventBridge delivers it to a rule's target, in the shape of the
 * examples in the SES and EventBridge documentation: the EventBridge envelope, and as `detail` the
 * event record (`eventType`, `mail` with the headers and the tags, SES's own `ses:*` ones beside
 * ours, and the event type's object).
 */
export function sesEvent(eventType: EmailEventType, ourTags: Readonly<Record<string, string[]>>, mail: { messageId?: string; timestamp?: string } = {}) {
  const perType: Record<EmailEventType, Record<string, unknown>> = {
    Send: { send: {} },
    Reject: { reject: { reason: 'Bad content' } },
    Delivery: {
      delivery: {
        timestamp: '2026-03-01T10:00:01.912Z',
        processingTimeMillis: 1789,
        recipients: ['ana@example.com'],
        smtpResponse: '250 2.6.0 Message received',
        reportingMTA: 'e234-5.smtp-out.eu-west-1.amazonses.com',
        remoteMtaIp: '198.51.100.7',
      },
    },
    Bounce: { bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'ana@example.com' }], timestamp: '2026-03-01T10:00:02.000Z', feedbackId: 'f-1' } },
    Complaint: { complaint: { complainedRecipients: [{ emailAddress: 'ana@example.com' }], timestamp: '2026-03-01T11:00:00.000Z', feedbackId: 'f-2' } },
    DeliveryDelay: { deliveryDelay: { timestamp: '2026-03-01T10:05:00.000Z', delayType: 'TransientCommunicationFailure', expirationTime: '2026-03-02T10:00:00.000Z', delayedRecipients: [{ emailAddress: 'ana@example.com' }] } },
  };
  return {
    version: '0',
    id: 'd1b7a1c4-6a3e-4c8e-9f1a-0c2b3d4e5f60',
    'detail-type': sesDetailTypes[eventType],
    source: 'aws.ses',
    account: '123456789012',
    time: '2026-03-01T10:00:01Z',
    region: 'eu-west-1',
    resources: ['arn:aws:ses:eu-west-1:123456789012:configuration-set/messages'],
    detail: {
      eventType,
      mail: {
        timestamp: mail.timestamp ?? '2026-03-01T10:00:00.123Z',
        source: 'Salón Lucía <no-reply@example.com>',
        sourceArn: 'arn:aws:ses:eu-west-1:123456789012:identity/no-reply@example.com',
        sendingAccountId: '123456789012',
        messageId: mail.messageId ?? '0102018e0f3c5a7b-2f1c9a0d-5b6e-4d7f-8a9b-0c1d2e3f4a5b-000000',
        destination: ['ana@example.com'],
        headersTruncated: false,
        headers: [
          { name: 'From', value: 'Salón Lucía <no-reply@example.com>' },
          { name: 'To', value: 'ana@example.com' },
          { name: 'Subject', value: 'Reserva confirmada' },
          { name: 'MIME-Version', value: '1.0' },
        ],
        commonHeaders: { from: ['Salón Lucía <no-reply@example.com>'], to: ['ana@example.com'], subject: 'Reserva confirmada' },
        tags: {
          'ses:configuration-set': ['messages'],
          'ses:source-ip': ['192.0.2.10'],
          'ses:from-domain': ['example.com'],
          'ses:caller-identity': ['ClientMessages-DeliveryHandlerRole'],
          ...ourTags,
        },
      },
      ...perType[eventType],
    },
  };
}
