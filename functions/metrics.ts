import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Custom metrics of the message path, written as CloudWatch embedded metric format (EMF) lines in
 * the function's log: no API call, CloudWatch extracts them from the log group. Like the logger it
 * calls no AWS service, so every layer but the domain imports it directly. Namespace and names are
 * here once; the dashboard and alarms (lib/) read the same constants. Outside Lambda (local mode,
 * tests, benches) nothing is written: only Lambda's log groups turn EMF lines into metrics.
 */
export const METRICS_NAMESPACE = 'ClientMessages';

/** Every metric carries `service`: the stack name (POWERTOOLS_SERVICE_NAME), so stages never mix. */
export const metricNames = {
  /** One per message delivery settled, by `channel`, `messageType`, `outcome` and, when not sent, `reason`. */
  messages: 'Messages',
  /** One per message delivery attempt (a receive of its request), by `channel`. */
  deliveryAttempts: 'DeliveryAttempts',
  /** Milliseconds from a table write to its evaluation (the stream record's ApproximateCreationDateTime). */
  evaluatorLag: 'EvaluatorLag',
  /** Messages the evaluator put on the delivery queue now, schedules it armed and schedules it disarmed. */
  dispatched: 'MessagesDispatched',
  schedulesArmed: 'SchedulesArmed',
  schedulesDisarmed: 'SchedulesDisarmed',
} as const;

export const metrics = new Metrics({ namespace: METRICS_NAMESPACE });

/** Read on each use, not at import: local mode and tests set their environment after importing handlers. */
const inLambda = (): boolean => process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined && process.env.POWERTOOLS_METRICS_DISABLED !== 'true';

/** Writes the metrics stored during an invocation (outside Lambda, drops them); call once per invocation. */
export function publishMetrics(): void {
  if (inLambda() && metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  else metrics.clearMetrics();
}

/**
 * A reason as a dimension: its leading code (`failed: <error text>` gives `failed`), so free text
 * never makes a new metric per message.
 */
export function reasonDimension(reason: string | undefined): string | undefined {
  if (reason === undefined) return undefined;
  const code = /^[a-z][a-z0-9_]{0,39}/.exec(reason)?.[0];
  return code ?? 'other';
}

/** One metric with its own dimensions, flushed at once (each message has its own channel, type and outcome). */
export function countWith(name: string, dimensions: Readonly<Record<string, string | undefined>>, value = 1): void {
  if (!inLambda()) return;
  const single = metrics.singleMetric();
  for (const [key, dimension] of Object.entries(dimensions)) if (dimension !== undefined) single.addDimension(key, dimension);
  single.addMetric(name, MetricUnit.Count, value);
}

export { MetricUnit };
