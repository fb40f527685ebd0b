import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { messagesFor, rulesOf, type RecordChange, type TenantRules } from '#domain/messages/evaluate.ts';
import { triggeringKinds, type TriggeringKind } from '#domain/messages/message-types.ts';
import type { DeliveryQueue } from '#domain/messages/ports.ts';
import type { RecordImage } from '#domain/messages/events.ts';
import type { Rule } from '#domain/messages/rules.ts';
import { logger } from '#adapters/logger.ts';

export interface EvaluatorDeps {
  readonly loadRules: (tenantId: string) => Promise<TenantRules>;
  readonly queue: DeliveryQueue;
  readonly now: () => Date;
}

const queueBatch = 10;

/**
 * All the evaluator reads of a record: rules and events look at nothing else. They are all scalars
 * (S, N or NULL), so they are read directly instead of unmarshalling whole images.
 */
const evaluatedAttributes = ['kind', 'tenantId', 'id', 'version', 'status', 'start', 'scheduledAt', 'clientId', 'locationId'] as const;

function image(value: Record<string, AttributeValue> | undefined): RecordImage | undefined {
  if (!value) return undefined;
  const picked: Record<string, string | number | null> = {};
  for (const name of evaluatedAttributes) {
    const attribute = value[name];
    if (attribute === undefined) continue;
    picked[name] = attribute.S ?? (attribute.N !== undefined ? Number(attribute.N) : null);
  }
  return picked as unknown as RecordImage;
}

/** The change a stream record reports, or undefined when it is not about a record that triggers messages. */
export function changeOf(record: DynamoDBRecord): RecordChange | undefined {
  const previous = image(record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined);
  const current = image(record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined);
  const kind = (current ?? previous)?.kind;
  const tenantId = (current ?? previous)?.tenantId;
  if (!(triggeringKinds as readonly unknown[]).includes(kind) || typeof tenantId !== 'string') return undefined;
  return { kind: kind as TriggeringKind, tenantId, previous, record: current };
}

/**
 * Turns a batch of stream records into delivery requests on the delivery queue, one per record
 * change that calls for messages. Each tenant's rules
 * are read once per batch. A record that cannot be handled is reported in batchItemFailures and
 * never stops the others; replays are harmless because delivery sends each message id once.
 */
export async function evaluateStream(records: readonly DynamoDBRecord[], deps: EvaluatorDeps): Promise<DynamoDBBatchResponse> {
  const failed = new Set<DynamoDBRecord>();
  const fail = (record: DynamoDBRecord, error: unknown, message: string) => {
    failed.add(record);
    logger.error(message, { error: error as Error, eventID: record.eventID });
  };

  const changes: { record: DynamoDBRecord; change: RecordChange }[] = [];
  for (const record of records) {
    try {
      const change = changeOf(record);
      if (change) changes.push({ record, change });
    } catch (error) {
      fail(record, error, 'unreadable stream record');
    }
  }

  const tenants = [...new Set(changes.map(({ change }) => change.tenantId))];
  const loaded = await Promise.allSettled(tenants.map((tenantId) => deps.loadRules(tenantId)));
  const rules = new Map<string, readonly (readonly Rule[])[]>();
  const loadErrors = new Map<string, unknown>();
  tenants.forEach((tenantId, i) => {
    const result = loaded[i]!;
    if (result.status === 'fulfilled') rules.set(tenantId, rulesOf(result.value));
    else loadErrors.set(tenantId, result.reason);
  });

  const decidedAt = deps.now().toISOString();
  const outgoing: { record: DynamoDBRecord; id: string; body: string }[] = [];
  for (const { record, change } of changes) {
    const tenantRules = rules.get(change.tenantId);
    if (!tenantRules) {
      fail(record, loadErrors.get(change.tenantId), 'could not read the tenant’s rules');
      continue;
    }
    try {
      const request = messagesFor(change, tenantRules, decidedAt);
      if (request) outgoing.push({ record, id: `${change.kind}.${request.entity.id}.v${request.entity.version}`, body: JSON.stringify(request) });
    } catch (error) {
      fail(record, error, 'could not evaluate stream record');
    }
  }

  for (let start = 0; start < outgoing.length; start += queueBatch) {
    const batch = outgoing.slice(start, start + queueBatch);
    try {
      await deps.queue.enqueue(batch);
    } catch (error) {
      for (const { record } of batch) fail(record, error, 'could not enqueue messages');
    }
  }

  logger.info('evaluated', { records: records.length, relevant: changes.length, tenants: tenants.length, requests: outgoing.length, failed: failed.size });
  return { batchItemFailures: records.filter((record) => failed.has(record)).map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? record.eventID ?? '' })) };
}
