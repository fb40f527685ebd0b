import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SmsSender } from '#domain/messages/ports.ts';
import { asSendFailure } from '#adapters/provider-errors.ts';

/**
 * SNS keeps no record of a published SMS that can be looked up by our message id (delivery status
 * logs, where enabled, name only SNS's own id, which a sender that died never received).
 */
const snsNoEvidence = 'SNS keeps no record of an SMS that names our message, so whether it took this one cannot be told';

/** Transactional SMS straight to a phone number through SNS. */
export function snsSmsSender(client: SNSClient, senderId: string | undefined): SmsSender {
  return {
    async send(message, signal) {
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
          signal ? { abortSignal: signal } : {},
        );
        return { providerMessageId: result.MessageId ?? '' };
      } catch (error) {
        throw asSendFailure(error);
      }
    },
    evidence: async () => ({ accepted: 'unknown', why: snsNoEvidence }),
  };
}
