import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SmsSender } from '#domain/messages/ports.ts';
import { asSendFailure } from '#adapters/provider-errors.ts';

/** Transactional SMS straight to a phone number through SNS. */
export function snsSmsSender(client: SNSClient, senderId: string | undefined): SmsSender {
  return {
    async send(message) {
      try {
        const result = await client.send(
          new PublishCommand({
            PhoneNumber: message.to,
            Message: message.text,
            MessageAttributes: {
              'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
              ...(senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: senderId } } : {}),
            },
          }),
        );
        return { providerMessageId: result.MessageId ?? '' };
      } catch (error) {
        throw asSendFailure(error);
      }
    },
  };
}
