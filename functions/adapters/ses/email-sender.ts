import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { EmailSender } from '#domain/messages/ports.ts';
import { asSendFailure } from '#adapters/provider-errors.ts';

const tagValue = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);

/** Email through SES v2 (in local mode the same client, pointed at aws-ses-v2-local by AWS_ENDPOINT_URL_SESV2). */
export function sesEmailSender(client: SESv2Client, from: string, configurationSet: string | undefined): EmailSender {
  return {
    async send(message) {
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
            EmailTags: Object.entries(message.tags).map(([Name, Value]) => ({ Name, Value: tagValue(Value) })),
          }),
        );
        return { providerMessageId: result.MessageId ?? '' };
      } catch (error) {
        throw asSendFailure(error);
      }
    },
  };
}
