import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { EmailSender, HeldMessage, SendEvidence } from '#domain/messages/ports.ts';
import { evidenceFromEvents } from '#domain/messages/evidence.ts';
import { asSendFailure } from '#adapters/provider-errors.ts';
import { logger } from '#logger';
import { emailTagsFor, messageTagNames } from '#adapters/ses/message-tags.ts';
import { mailboxOf } from '#domain/sender.ts';
import { currentCorrelationId } from '#correlation';

/** SES publishes a Send event within seconds of taking a message; this long without one, it did not take it. */
const sesSendEventGraceMs = 5 * 60_000;

export interface SesEmailSenderOptions {
  /** The platform's address: email goes from it (with the business's name) until a business's own domain is verified. */
  readonly from: string;
  readonly configurationSet?: string | undefined;
  /** A header naming the message (`<tenant>/<message id>`), for a provider whose store is searched as evidence. */
  readonly messageIdHeader?: string;
  /** Defaults to SES's Send events (see `evidenceFromEvents`). */
  readonly evidence?: (message: HeldMessage, now: Date) => Promise<SendEvidence>;
}

/** Email through SES v2 (in local mode the same client, pointed at aws-ses-v2-local by AWS_ENDPOINT_URL_SESV2). */
export function sesEmailSender(client: SESv2Client, options: SesEmailSenderOptions): EmailSender {
  const { from, configurationSet, messageIdHeader } = options;
  return {
    async send(message, signal) {
      const tags = emailTagsFor({ ...message, correlationId: currentCorrelationId() });
      if (!tags.some((tag) => tag.Name === messageTagNames.message)) {
        logger.warn('message id too long for an SES tag: its email events will not find it', { messageId: message.messageId, tenantId: message.tenantId });
      }
      const { sender } = message;
      const headers = [
        ...(messageIdHeader ? [{ Name: messageIdHeader, Value: `${message.tenantId}/${message.messageId}` }] : []),
        // RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` to the URL, with no cookies and no redirect.
        ...(message.listUnsubscribe
          ? [
              { Name: 'List-Unsubscribe', Value: `<${message.listUnsubscribe}>` },
              { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
            ]
          : []),
      ];
      try {
        const result = await client.send(
          new SendEmailCommand({
            FromEmailAddress: mailboxOf(sender?.name ?? '', sender?.address ?? from),
            ...(sender?.replyTo ? { ReplyToAddresses: [sender.replyTo] } : {}),
            // The business's own tenant: its reputation and sending status are its own.
            ...(sender?.tenantName ? { TenantName: sender.tenantName } : {}),
            Destination: { ToAddresses: [message.to] },
            Content: {
              Simple: {
                Subject: { Data: message.subject, Charset: 'UTF-8' },
                Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
                ...(headers.length ? { Headers: headers } : {}),
              },
            },
            ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
            EmailTags: tags,
          }),
          signal ? { abortSignal: signal } : {},
        );
        return { providerMessageId: result.MessageId ?? '' };
      } catch (error) {
        throw asSendFailure(error);
      }
    },
    evidence: options.evidence ?? (async (message, now) => evidenceFromEvents(message, now, sesSendEventGraceMs)),
  };
}
