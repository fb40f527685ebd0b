import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { EmailSender } from '#domain/messages/ports.ts';
import { asSendFailure } from '#adapters/provider-errors.ts';
import { logger } from '#adapters/logger.ts';
import { emailTagsFor, messageTagNames } from '#adapters/ses/message-tags.ts';

/** Email through SES v2 (in local mode the same client, pointed at aws-ses-v2-local by AWS_ENDPOINT_URL_SESV2). */
export function sesEmailSender(client: SESv2Client, from: string, configurationSet: string | undefined): EmailSender {
  return {
    async send(message) {
      const tags = emailTagsFor(message);
      if (!tags.some((tag) => tag.Name === messageTagNames.message)) {
        logger.warn('message id too long for an SES tag: its email events will not find it', { messageId: message.messageId, tenantId: message.tenantId });
      }
      try {
        const result = await client.send(
          new SendEmailCommand({
            FromEmailAddress: from,
            Destination: { ToAddresses: [message.to] },
            Content: {
              Simple: {
                Subject: { Data: message.subject, Charset: 'UTF-8' },
                Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
              },
            },
            ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
            EmailTags: tags,
          }),
        );
        return { providerMessageId: result.MessageId ?? '' };
      } catch (error) {
        throw asSendFailure(error);
      }
    },
  };
}
