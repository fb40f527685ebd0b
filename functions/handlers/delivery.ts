import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { deliver, type DeliveryDeps } from '#domain/messages/deliver.ts';
import { MessageIntent } from '#domain/messages/message-intent.ts';
import { deliveryDeps, maxDeliveryReceives } from '#handlers/wiring.ts';
import { logger } from '#http/http-handler.ts';

/**
 * Delivers a batch of message intents from the delivery queue. A failed intent is reported in
 * batchItemFailures, so the queue retries it after its visibility timeout and, after the last
 * receive, moves it to the dead-letter queue; an unreadable body fails the same way, never dropped.
 */
export async function deliverBatch(records: readonly SQSRecord[], deps: DeliveryDeps, maxReceives: number): Promise<SQSBatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  await Promise.all(
    records.map(async (record) => {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount) || 1;
      try {
        const intent = MessageIntent.parse(JSON.parse(record.body));
        const outcome = await deliver(intent, deps, { receiveCount, maxReceives });
        logger.info('delivery', { messageId: intent.id, tenantId: intent.tenantId, channel: intent.channel, outcome, receiveCount });
      } catch (error) {
        logger.error('delivery failed', { error: error as Error, sqsMessageId: record.messageId, receiveCount, final: receiveCount >= maxReceives });
        failures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  return { batchItemFailures: failures };
}

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  logger.addContext(context);
  return deliverBatch(event.Records, deliveryDeps(), maxDeliveryReceives());
}
