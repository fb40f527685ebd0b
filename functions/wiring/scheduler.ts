import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { traced } from '#tracer';
import { eventBridgeScheduler, eventBridgeSchedulerConfigFromEnv } from '#adapters/scheduler/eventbridge-scheduler.ts';
import type { MessageScheduler } from '#domain/messages/ports.ts';
import { documents, once, overrides } from '#wiring/core.ts';

/** EventBridge Scheduler, or local mode's schedules table. */
export const messageScheduler = /* @__PURE__ */ once(
  (): MessageScheduler => overrides().scheduler?.(documents()) ?? eventBridgeScheduler(traced(new SchedulerClient({})), eventBridgeSchedulerConfigFromEnv()),
);
