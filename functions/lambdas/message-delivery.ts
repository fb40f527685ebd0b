import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { deliver, MessageBusy, type DeliveryDeps } from '#domain/messages/deliver.ts';
import { DeliveryRequest, intentsOf } from '#domain/messages/message-intent.ts';
import { maxReceiveCount } from '#wiring/core.ts';
import { deliveryDeps } from '#wiring/delivery.ts';
import type { ConversationMessage } from '#domain/messages/conversation.ts';
import type { MessageLog, MessageSender } from '#domain/messages/ports.ts';
import { logger } from '#logger';
import { countWith, metricNames, metrics, MetricUnit, publishMetrics, reasonDimension } from '#metrics';
import { currentCorrelationId, withCorrelationId } from '#correlation';

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
  const recorded = new Map<string, Pick<ConversationMessage, 'status' | 'reason'>>();
  const observed = observedDeps(deps, recorded);
  await Promise.all(
    records.map(async (record) => {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount) || 1;
      try {
        const intents = intentsOf(DeliveryRequest.parse(JSON.parse(record.body)));
        const outcomes = await Promise.allSettled(
          intents.map((intent) => withCorrelationId(intent.correlationId, () => deliver(intent, observed, { receiveCount, maxReceives, remainingMs: remainingMs() - leaseMarginMs }))),
        );
        metrics.addMetric(metricNames.deliveryAttempts, MetricUnit.Count, intents.length);
        outcomes.forEach((outcome, i) => {
          const { id, tenantId, channel, messageType, correlationId } = intents[i]!;
          const reason = recorded.get(id)?.reason;
          if (outcome.status === 'fulfilled') {
            logger.info('delivery', { messageId: id, tenantId, channel, outcome: outcome.value, reason, receiveCount, correlationId });
            countWith(metricNames.messages, { channel, messageType, outcome: outcome.value, reason: reasonDimension(reason) });
          } else if (outcome.reason instanceof MessageBusy) {
            logger.info('delivery postponed', { messageId: id, tenantId, channel, receiveCount, why: outcome.reason.message, correlationId });
          } else {
            const final = receiveCount >= maxReceives;
            logger.error('delivery failed', { error: outcome.reason as Error, messageId: id, tenantId, channel, receiveCount, final, correlationId });
            countWith(metricNames.messages, { channel, messageType, outcome: final ? 'failed' : 'retried', reason: final ? reasonDimension(reason) : undefined });
          }
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

/**
 * The delivery deps, observed: the status and reason each message is recorded with (for the
 * `Messages` metric's `reason`), and every provider call logged with the message's correlation id,
 * which is how one id leads from the API request to the SES or SNS call.
 */
function observedDeps(deps: DeliveryDeps, recorded: Map<string, Pick<ConversationMessage, 'status' | 'reason'>>): DeliveryDeps {
  const messages: MessageLog = {
    ...deps.messages,
    claim: async (tenantId, message, leaseUntil) => {
      const result = await deps.messages.claim(tenantId, message, leaseUntil);
      if (result.claimed) recorded.set(message.id, { status: message.status, reason: message.reason });
      return result;
    },
    transition: async (tenantId, id, heldUntil, changes) => {
      const changed = await deps.messages.transition(tenantId, id, heldUntil, changes);
      if (changed && changes.status !== undefined) recorded.set(id, { status: changes.status, reason: changes.reason });
      return changed;
    },
  };
  const logged = <M>(channel: string, sender: MessageSender<M>): MessageSender<M> => ({
    ...sender,
    async send(message, signal) {
      const details = { channel, tenantId: message.tenantId, messageId: message.messageId, correlationId: currentCorrelationId() };
      try {
        const receipt = await sender.send(message, signal);
        logger.info('provider accepted', { ...details, providerMessageId: receipt.providerMessageId });
        return receipt;
      } catch (error) {
        logger.warn('provider refused', { ...details, error: error as Error });
        throw error;
      }
    },
  });
  return { ...deps, messages, email: logged('email', deps.email), sms: logged('sms', deps.sms) };
}

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  logger.addContext(context);
  try {
    return await deliverBatch(event.Records, deliveryDeps(), maxReceiveCount(), () => context.getRemainingTimeInMillis());
  } finally {
    publishMetrics();
  }
}
