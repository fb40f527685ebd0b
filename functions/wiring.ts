import { apiDeps } from '#wiring/api.ts';
import { documentStorage } from '#wiring/s3.ts';
import { unsubscribeKey } from '#wiring/secrets.ts';
import { deliveryQueue, importQueue } from '#wiring/sqs.ts';

/**
 * Every service at once, for the one process of local mode, the tests and the benchmarks. No Lambda
 * entry imports this module: each wires only the services it calls, from functions/wiring/ (the CDK
 * test "Lambda bundles" checks which SDK clients each bundle holds).
 */
export { maxReceiveCount, overrideDeps } from '#wiring/core.ts';
export { messageScheduler } from '#wiring/scheduler.ts';
export { evaluatorDeps } from '#wiring/evaluator.ts';
export { deliveryDeps } from '#wiring/delivery.ts';
export { emailEventsDeps } from '#wiring/email-events.ts';
export { senderDeps } from '#wiring/ses.ts';

export const appDeps = apiDeps({ queue: deliveryQueue, documents: documentStorage, importQueue, unsubscribeKey });
