import { loadTenantRules } from '#adapters/dynamodb/tenant-rules.ts';
import type { EvaluatorDeps } from '#services/evaluate-stream.ts';
import { documents, messageLog, now, once, recordStore, required } from '#wiring/core.ts';
import { messageScheduler } from '#wiring/scheduler.ts';
import { deliveryQueue } from '#wiring/sqs.ts';

/** The rule evaluator's: the table, Scheduler and the delivery queue. */
export const evaluatorDeps = /* @__PURE__ */ once(
  (): EvaluatorDeps => ({
    loadRules: (tenantId) => loadTenantRules(documents(), required('TABLE_NAME'), tenantId),
    store: recordStore(),
    scheduler: messageScheduler(),
    queue: deliveryQueue(),
    messages: messageLog(),
    now,
  }),
);
