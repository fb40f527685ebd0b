import type { DeliveryQueue } from '#domain/messages/ports.ts';

export interface QueuedMessage {
  readonly id: string;
  readonly body: string;
}

type Consumer = (messages: readonly QueuedMessage[]) => void;

const consumers = new Set<Consumer>();

/**
 * Local stand-in for the delivery queue: in local mode the evaluator and delivery run in one process
 * (`npm start`), which subscribes delivery here. Nothing is kept across restarts.
 */
export const inProcessDeliveryQueue: DeliveryQueue & { subscribe(consumer: Consumer): () => void } = {
  async enqueue(messages) {
    if (consumers.size === 0) throw new Error('No local delivery consumer is running');
    for (const consumer of consumers) consumer(messages);
  },
  subscribe(consumer) {
    consumers.add(consumer);
    return () => consumers.delete(consumer);
  },
};
