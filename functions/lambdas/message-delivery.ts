import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { deliver, MessageBusy, type DeliveryDeps } from '#domain/messages/deliver.ts';
import { DeliveryRequest, intentsOf } from '#domain/messages/message-intent.ts';
import { deliveryDeps, maxDeliveryReceives } from '#wiring';
import { logger } from '#logger';

/** What a lease leaves of the invocation: time to record the outcome before Lambda stops it. */
const leaseMarginMs = 3_000;

/**
 * Delivers a batch of delivery requests from the queue, each message of a request on its own. A
 * request with a failed message is reported in batchItemFailures, so the queue retries it after its
 * visibility timeout (messages already sent are claimed and skip) and, after the last receive, moves
 * it to the dead-letter queue; an unreadable body fails the same way, never dropped.
 */
export async function deliverBatch(records: readonly SQSRecord[], deps: DeliveryDeps, maxReceives: number, remainingMs: () => number): Promise<SQSBatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  await Promise.all(
    records.map(async (record) => {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount) || 1;
      try {
        const intents = intentsOf(DeliveryRequest.parse(JSON.parse(record.body)));
        const outcomes = await Promise.allSettled(intents.map((intent) => deliver(intent, deps, { receiveCount, maxReceives, remainingMs: remainingMs() - leaseMarginMs })));
        outcomes.forEach((outcome, i) => {
          const { id, tenantId, channel } = intents[i]!;
          if (outcome.status === 'fulfilled') logger.info('delivery', { messageId: id, tenantId, channel, outcome: outcome.value, receiveCount });
          else if (outcome.reason instanceof MessageBusy) logger.info('delivery postponed', { messageId: id, tenantId, channel, receiveCount, why: outcome.reason.message });
          else logger.error('delivery failed', { error: outcome.reason as Error, messageId: id, tenantId, channel, receiveCount, final: receiveCount >= maxReceives });
        });
        if (outcomes.some((outcome) => outcome.status === 'rejected')) failures.push({ itemIdentifier: record.messageId });
      } catch (error) {
        logger.error('unreadable delivery request', { error: error as Error, sqsMessageId: record.messageId, receiveCount });
        failures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  return { batchItemFailures: failures };
}

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  logger.addContext(context);
  return deliverBatch(event.Records, deliveryDeps(), maxDeliveryReceives(), () => context.getRemainingTimeInMillis());
}
