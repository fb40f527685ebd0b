import { SQSClient } from '@aws-sdk/client-sqs';
import { traced } from '#tracer';
import { sqsDeliveryQueue } from '#adapters/sqs/delivery-queue.ts';
import type { DeliveryQueue } from '#domain/messages/ports.ts';
import { once, required } from '#wiring/core.ts';

/**
 * SQS in AWS; in local mode the SQS emulator (AWS_ENDPOINT_URL_SQS). The client's endpoint decides
 * where requests go, not the queue URL's host (the emulator's URLs name a host that need not resolve).
 */
const sqs = /* @__PURE__ */ once(() => traced(new SQSClient({ useQueueUrlAsEndpoint: false })));

/** The queue whose URL `variable` names, built on first use: an area's handler is made before any request. */
function queueAt(variable: string): () => DeliveryQueue {
  const queue = once((): DeliveryQueue => sqsDeliveryQueue(sqs(), required(variable)));
  return () => ({ enqueue: (bodies) => queue().enqueue(bodies) });
}

/** The delivery queue (DELIVERY_QUEUE_URL). */
export const deliveryQueue = /* @__PURE__ */ queueAt('DELIVERY_QUEUE_URL');

/** Where imports go on in chunks (IMPORT_QUEUE_URL), the delivery queue's adapter on another queue. */
export const importQueue = /* @__PURE__ */ queueAt('IMPORT_QUEUE_URL');
