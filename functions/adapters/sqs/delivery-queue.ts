import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryQueue } from '#domain/messages/ports.ts';

const maxBatch = 10;

/** The delivery queue on SQS: batches of ten, and any entry SQS refuses fails the whole call. */
export function sqsDeliveryQueue(client: SQSClient, queueUrl: string): DeliveryQueue {
  return {
    async enqueue(messages) {
      for (let start = 0; start < messages.length; start += maxBatch) {
        const batch = messages.slice(start, start + maxBatch);
        const result = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            // Entry ids only need to be unique within the call.
            Entries: batch.map((message, index) => ({ Id: String(index), MessageBody: message.body })),
          }),
        );
        if (result.Failed?.length) {
          throw new Error(`SQS refused ${result.Failed.length} of ${batch.length} messages: ${result.Failed.map((f) => f.Message ?? f.Code).join('; ')}`);
        }
      }
    },
  };
}
