import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createOnce, type RecordStore } from '#domain/record-store.ts';
import { autoReplyOf, bookedAgainClientOf, bookedAgainDisarm, bookedAgainLookupLimit, disarmable, messagesFor, rulesOf, type Disarmed, type EvaluatedRules, type InboundItem, type RecordChange, type TenantRules } from '#domain/messages/evaluate.ts';
import { messageKind } from '#domain/messages/conversation.ts';
import type { RecordImage } from '#domain/messages/events.ts';
import type { Dispatch } from '#domain/messages/message-intent.ts';
import { triggeringKinds, type TriggeringKind } from '#domain/messages/message-types.ts';
import type { DeliveryQueue, MessageLog, MessageScheduler } from '#domain/messages/ports.ts';
import type { Cancellation } from '#domain/messages/conversation.ts';
import { scheduledMessagesOf } from '#domain/messages/upcoming.ts';
import { isRulesItem, nextRearmJob, placeRearmJobs, rearmJobs, rearmKind, rearmPageSizeOf, type PlaceEdit, type RearmJob, type RulesEdit } from '#domain/messages/rearm.ts';
import { locationKind } from '#domain/locations.ts';
import { defaultSettings, settingsKind } from '#domain/settings.ts';
import { ruleKind } from '#domain/messages/rules.ts';
import { parseRecord, type RecordOf } from '#domain/record-kinds.ts';
import { armTimed, loadPlaces, timedMessagesOf, timedPlan, type PlaceOf } from '#domain/messages/timed-messages.ts';
import { logger } from '#logger';
import { metricNames, metrics, MetricUnit } from '#metrics';
import { correlationAttribute } from '#adapters/dynamodb/item-keys.ts';

export interface EvaluatorDeps {
  readonly loadRules: (tenantId: string) => Promise<TenantRules>;
  /** Reads places (settings and locations) and, when re-arming, a tenant's records by time; writes `rearm` items. */
  readonly store: RecordStore;
  readonly queue: DeliveryQueue;
  readonly scheduler: MessageScheduler;
  /** Where armed messages are recorded as `scheduled`, and disarmed ones as `cancelled`; a new booking reads its client's upcoming ones. */
  readonly messages: Pick<MessageLog, 'schedule' | 'cancel' | 'upcomingForClient'>;
  readonly now: () => Date;
}

const queueBatch = 10;

/**
 * All the evaluator reads of a triggering record: rules, events and timing look at nothing else.
 * They are all scalars (S, N or NULL), so they are read directly instead of unmarshalling whole images.
 */
const evaluatedAttributes = ['kind', 'tenantId', 'id', 'version', 'status', 'start', 'end', 'scheduledAt', 'dueDate', 'expiresOn', 'clientId', 'locationId', 'updatedAt'] as const;

/** What every record image has: checked, not parsed, as the hot path reads only scalars. */
const isRecordImage = (picked: Readonly<Record<string, unknown>>): picked is RecordImage => typeof picked.id === 'string' && typeof picked.version === 'number';

function image(value: Record<string, AttributeValue> | undefined): RecordImage | undefined {
  if (!value) return undefined;
  const picked: Record<string, string | number | null> = {};
  for (const name of evaluatedAttributes) {
    const attribute = value[name];
    if (attribute === undefined) continue;
    picked[name] = attribute.S ?? (attribute.N !== undefined ? Number(attribute.N) : null);
  }
  return isRecordImage(picked) ? picked : undefined;
}

const imagesOf = (record: DynamoDBRecord) => ({
  previous: record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined,
  current: record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined,
});

/** The change a stream record reports, or undefined when it is not about a record that triggers messages. */
export function changeOf(record: DynamoDBRecord): RecordChange | undefined {
  const images = imagesOf(record);
  const previous = image(images.previous);
  const current = image(images.current);
  const kind = (current ?? previous)?.kind;
  const tenantId = (current ?? previous)?.tenantId;
  if (!(triggeringKinds as readonly unknown[]).includes(kind) || typeof tenantId !== 'string') return undefined;
  return { kind: kind as TriggeringKind, tenantId, previous, record: current };
}

/** What one stream record asks of the evaluator, besides a record change. */
type Work =
  | { readonly type: 'change'; readonly change: RecordChange }
  | { readonly type: 'inbound'; readonly item: InboundItem }
  | { readonly type: 'rules-edited'; readonly tenantId: string; readonly edit: RulesEdit }
  | { readonly type: 'place-edited'; readonly tenantId: string; readonly edit: PlaceEdit }
  | { readonly type: 'rearm'; readonly tenantId: string; readonly job: RearmJob };

/**
 * A stream image as the store reads it: the table's own attributes (keys, index keys, kind, tenant)
 * dropped, then parsed with the kind's schema. Rules items, inbound items and re-arming jobs are
 * rare next to record changes, so parsing them costs the hot path nothing.
 */
function storedOf<K extends RulesEdit['kind'] | PlaceEdit['kind'] | typeof messageKind | typeof rearmKind>(kind: K, item: Readonly<Record<string, unknown>>): RecordOf<K> {
  const { pk: _pk, sk: _sk, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, gsi2pk: _gsi2pk, gsi2sk: _gsi2sk, kind: _kind, tenantId: _tenantId, correlationId: _correlationId, ...record } = item;
  return parseRecord(kind, record);
}

function rulesEdit(kind: RulesEdit['kind'], previous: Record<string, unknown> | undefined, current: Record<string, unknown>): RulesEdit {
  return kind === ruleKind
    ? { kind, previous: previous && storedOf(kind, previous), current: storedOf(kind, current) }
    : { kind, previous: previous && storedOf(kind, previous), current: storedOf(kind, current) };
}

function workOf(record: DynamoDBRecord): Work | undefined {
  const change = changeOf(record);
  if (change) return { type: 'change', change };
  const images = imagesOf(record);
  if (!images.current) return undefined;
  const current = unmarshall(images.current);
  const tenantId = current.tenantId;
  if (typeof tenantId !== 'string') return undefined;
  // Only the insert of what a person sent: the message log writes outbound messages several times each.
  if (current.kind === messageKind) {
    if (record.eventName !== 'INSERT' || current.direction !== 'inbound') return undefined;
    const { id, version, clientId, messageType, status, replyChannel } = storedOf(messageKind, current);
    // The store writes every inbound item at version 1; only the message log's outbound items have none.
    if (version === undefined) throw new Error(`inbound item ${id} has no version`);
    return { type: 'inbound', item: { tenantId, id, version, clientId, messageType, status, replyChannel } };
  }
  if (current.kind === rearmKind) return record.eventName === 'INSERT' ? { type: 'rearm', tenantId, job: storedOf(rearmKind, current) } : undefined;
  if (current.kind === locationKind || current.kind === settingsKind) {
    const previous = images.previous ? unmarshall(images.previous) : undefined;
    const edit: PlaceEdit =
      current.kind === locationKind
        ? { kind: locationKind, previous: previous && storedOf(locationKind, previous), current: storedOf(locationKind, current) }
        : { kind: settingsKind, previous: previous && storedOf(settingsKind, previous), current: storedOf(settingsKind, current) };
    return { type: 'place-edited', tenantId, edit };
  }
  if (!isRulesItem(current.kind)) return undefined;
  return { type: 'rules-edited', tenantId, edit: rulesEdit(current.kind, images.previous ? unmarshall(images.previous) : undefined, current) };
}

/**
 * Who a stream record's messages are for in the logs: the request that wrote the item (its
 * `correlationId`), else the stream record itself (a write by the message path, not by the API).
 */
export function correlationIdOfRecord(record: DynamoDBRecord): string | undefined {
  const written = (record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined)?.[correlationAttribute]?.S;
  return written ?? record.eventID;
}

const bodyOf = (record: DynamoDBRecord, request: Dispatch['request']): string => JSON.stringify({ ...request, correlationId: correlationIdOfRecord(record) });

/** What the records of a batch send on: queue bodies now, schedules for later, schedules no longer wanted. */
interface Outgoing {
  readonly record: DynamoDBRecord;
  readonly tenantId: string;
  readonly dispatch: readonly Dispatch[];
  readonly disarm: readonly string[];
  readonly cancel: readonly Cancellation[];
}

/**
 * Evaluates a batch of stream records: each record change becomes the messages it calls for now
 * (on the delivery queue) and later (one-time schedules), and disarms the schedules it made
 * obsolete; an inbound item gets its auto-reply; an edit of timed rules starts re-arming that
 * tenant's future records, one page per `rearm` item. Each tenant's rules are read once per batch.
 * A record that cannot be handled is reported in batchItemFailures and never stops the others;
 * replays are harmless because schedules have deterministic names and delivery sends each message
 * id once.
 */
export async function evaluateStream(records: readonly DynamoDBRecord[], deps: EvaluatorDeps): Promise<DynamoDBBatchResponse> {
  const failed = new Set<DynamoDBRecord>();
  const fail = (record: DynamoDBRecord, error: unknown, message: string) => {
    failed.add(record);
    logger.error(message, { error: error as Error, eventID: record.eventID, correlationId: correlationIdOfRecord(record) });
  };
  const now = deps.now();
  for (const record of records) {
    const created = record.dynamodb?.ApproximateCreationDateTime;
    if (created !== undefined) metrics.addMetric(metricNames.evaluatorLag, MetricUnit.Milliseconds, Math.max(0, now.getTime() - created * 1000));
  }

  const work: { record: DynamoDBRecord; work: Work }[] = [];
  for (const record of records) {
    try {
      const found = workOf(record);
      if (found) work.push({ record, work: found });
    } catch (error) {
      fail(record, error, 'unreadable stream record');
    }
  }

  const changes = work.flatMap(({ record, work }) => (work.type === 'change' ? [{ record, change: work.change }] : []));
  const rules = await perTenant(
    work.flatMap(({ work }) => (work.type === 'change' ? [work.change.tenantId] : work.type === 'inbound' ? [work.item.tenantId] : [])),
    async (tenantId) => rulesOf(await deps.loadRules(tenantId)),
  );
  const places = await perTenant(
    changes.filter(({ change }) => rules.get(change.tenantId)?.value?.needsPlace).map(({ change }) => change.tenantId),
    (tenantId) => loadPlaces(deps.store, tenantId, changes.filter(({ change }) => change.tenantId === tenantId).flatMap(({ change }) => locationsOf(change.previous, change.record))),
  );

  const outgoing: Outgoing[] = [];
  for (const { record, work: item } of work) {
    try {
      if (item.type === 'change') {
        const tenantRules = valueOf(rules, item.change.tenantId);
        const placeOf = tenantRules.needsPlace ? valueOf(places, item.change.tenantId) : noPlaceNeeded;
        const { dispatch, disarm, cancel } = messagesFor(item.change, tenantRules, placeOf, now);
        const bookedAgain = await bookedAgainOf(item.change, tenantRules, deps, now);
        outgoing.push({ record, tenantId: item.change.tenantId, dispatch, disarm: [...disarm, ...bookedAgain.disarm], cancel: [...cancel, ...bookedAgain.cancel] });
      } else if (item.type === 'inbound') {
        const reply = autoReplyOf(item.item, valueOf(rules, item.item.tenantId), now);
        outgoing.push({ record, tenantId: item.item.tenantId, dispatch: reply ? [reply] : [], disarm: [], cancel: [] });
      } else if (item.type === 'rules-edited') {
        for (const job of rearmJobs(item.edit, now)) await createOnce(deps.store, item.tenantId, rearmKind, { ...job });
      } else if (item.type === 'place-edited') {
        const { timed } = rulesOf(await deps.loadRules(item.tenantId));
        for (const job of placeRearmJobs(item.edit, timed, defaultSettings.timeZone, now)) await createOnce(deps.store, item.tenantId, rearmKind, { ...job });
      } else {
        outgoing.push({ record, tenantId: item.tenantId, ...(await rearmPage(item.tenantId, item.job, deps, now)) });
      }
    } catch (error) {
      fail(record, error, `could not evaluate stream record (${item.type})`);
    }
  }

  await send(outgoing, deps, fail, now);
  logger.info('evaluated', {
    records: records.length,
    relevant: work.length,
    dispatched: outgoing.reduce((sum, { dispatch }) => sum + dispatch.length, 0),
    disarmed: outgoing.reduce((sum, { disarm }) => sum + disarm.length, 0),
    failed: failed.size,
  });
  return { batchItemFailures: records.filter((record) => failed.has(record)).map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? record.eventID ?? '' })) };
}

type Loaded<T> = Map<string, { value?: T; error?: unknown }>;

/** Loads something once per tenant; a tenant whose load fails fails only its own records. */
async function perTenant<T>(tenantIds: readonly string[], load: (tenantId: string) => Promise<T>): Promise<Loaded<T>> {
  const tenants = [...new Set(tenantIds)];
  const results = await Promise.allSettled(tenants.map(load));
  return new Map(tenants.map((tenantId, i) => {
    const result = results[i]!;
    return [tenantId, result.status === 'fulfilled' ? { value: result.value } : { error: result.reason }];
  }));
}

function valueOf<T>(loaded: Loaded<T>, tenantId: string): T {
  const entry = loaded.get(tenantId);
  if (!entry || entry.value === undefined) throw new Error(`could not read the tenant's rules or places: ${String((entry?.error as Error | undefined)?.message ?? 'not loaded')}`);
  return entry.value;
}

/** Without timed rules, delays or business hours nothing reads a place, so none is loaded. */
const noPlaceNeeded: PlaceOf = () => ({ timeZone: 'UTC' });

const locationsOf = (...images: (RecordImage | Readonly<Record<string, unknown>> | undefined)[]): string[] =>
  images.flatMap((image) => (typeof image?.locationId === 'string' ? [image.locationId] : []));

/**
 * The re-engagements a new booking disarms; looked up only when re-engagement is on. A failed
 * lookup only logs: delivery's booked-again check still keeps them from going out.
 */
async function bookedAgainOf(change: RecordChange, rules: EvaluatedRules, deps: EvaluatorDeps, now: Date): Promise<Disarmed> {
  const clientId = bookedAgainClientOf(change, rules, now);
  if (clientId === undefined) return { disarm: [], cancel: [] };
  try {
    return bookedAgainDisarm(change.tenantId, change.record!.id, await deps.messages.upcomingForClient(change.tenantId, clientId, bookedAgainLookupLimit), now);
  } catch (error) {
    logger.warn('could not read the client\'s upcoming messages; delivery will skip re-engagements as booked again', { error: error as Error });
    return { disarm: [], cancel: [] };
  }
}

/** One page of re-arming: each record's schedules under the old rules against the new ones; then the next page's item. */
async function rearmPage(tenantId: string, job: RearmJob, deps: EvaluatorDeps, now: Date): Promise<Omit<Outgoing, 'record' | 'tenantId'>> {
  const page = await deps.store.list(tenantId, job.entity, { order: { by: 'time', from: job.from }, limit: rearmPageSizeOf(job), ...(job.cursor ? { cursor: job.cursor } : {}) });
  const { place } = job;
  // A rules edit reads each record at its place as it is; a place edit, at the place as it was and as it is.
  const [before, after]: readonly [PlaceOf, PlaceOf] = place
    ? [() => place.before, () => place.after]
    : await loadPlaces(deps.store, tenantId, locationsOf(...page.items)).then((placeOf) => [placeOf, placeOf] as const);
  const dispatch: Dispatch[] = [];
  const disarm: string[] = [];
  const cancel: Cancellation[] = [];
  for (const stored of page.items) {
    const record: RecordImage = stored;
    // Made after the edit: its own insert was evaluated under the new rules, and armed what they call for.
    if (job.changedAt && typeof record.createdAt === 'string' && record.createdAt > job.changedAt) continue;
    // A place edit moves only the records at that place: its location's, or (the business zone) those with none.
    if (place && (typeof record.locationId === 'string' ? record.locationId : undefined) !== place.locationId) continue;
    const plan = timedPlan(timedMessagesOf(job.entity, record, job.before, before), timedMessagesOf(job.entity, record, job.after, after));
    for (const message of plan.arm) dispatch.push(armTimed(tenantId, job.entity, record, message, job.changedAt ? new Date(job.changedAt) : now, now));
    const disarmed = disarmable(tenantId, plan.disarm, now, () => (place ? 'place_changed' : 'rule_changed'));
    disarm.push(...disarmed.disarm);
    cancel.push(...disarmed.cancel);
  }
  // A replayed stream record makes the same next item, and no second run of that page.
  if (page.nextCursor) await createOnce(deps.store, tenantId, rearmKind, { ...nextRearmJob(job, page.nextCursor, now) });
  return { dispatch, disarm, cancel };
}

function byTenant(outgoing: readonly Outgoing[]): Map<string, Outgoing[]> {
  const grouped = new Map<string, Outgoing[]>();
  for (const item of outgoing) grouped.set(item.tenantId, [...(grouped.get(item.tenantId) ?? []), item]);
  return grouped;
}

/**
 * Queue bodies first, then schedules, each with its `scheduled` message written first: any of these
 * failing fails the records they came from, and the retry sends or arms again harmlessly. Disarming
 * cancels the messages, then deletes the schedules; a failure there only logs: delivery finds a
 * disarmed message stale (or cancelled) anyway, so it saves work but is not what keeps them from going out.
 */
async function send(outgoing: readonly Outgoing[], deps: EvaluatorDeps, fail: (record: DynamoDBRecord, error: unknown, message: string) => void, at: Date): Promise<void> {
  const now = outgoing.flatMap(({ record, dispatch }) => dispatch.filter((item) => item.at === undefined).map((item) => ({ record, id: item.name, body: bodyOf(record, item.request) })));
  for (let start = 0; start < now.length; start += queueBatch) {
    const batch = now.slice(start, start + queueBatch);
    try {
      await deps.queue.enqueue(batch);
      metrics.addMetric(metricNames.dispatched, MetricUnit.Count, batch.length);
      for (const { record, id } of batch) logger.info('delivery request queued', { dispatch: id, correlationId: correlationIdOfRecord(record) });
    } catch (error) {
      for (const { record } of batch) fail(record, error, 'could not enqueue messages');
    }
  }

  const later = outgoing.filter(({ dispatch }) => dispatch.some((item) => item.at !== undefined));
  if (later.length > 0) {
    try {
      await Promise.all([...byTenant(later)].map(([tenantId, items]) => deps.messages.schedule(tenantId, scheduledMessagesOf(items.flatMap(({ dispatch }) => dispatch), at))));
      const schedules = later.flatMap(({ record, dispatch }) => dispatch.flatMap((item) => (item.at === undefined ? [] : [{ name: item.name, at: item.at, body: bodyOf(record, item.request) }])));
      await deps.scheduler.arm(schedules);
      metrics.addMetric(metricNames.schedulesArmed, MetricUnit.Count, schedules.length);
      for (const { record, dispatch } of later) {
        for (const item of dispatch) if (item.at !== undefined) logger.info('delivery request scheduled', { schedule: item.name, at: item.at, correlationId: correlationIdOfRecord(record) });
      }
    } catch (error) {
      for (const { record } of later) fail(record, error, 'could not arm schedules');
    }
  }

  const names = [...new Set(outgoing.flatMap(({ disarm }) => disarm))];
  if (names.length > 0) {
    try {
      const cancelling = outgoing.filter(({ cancel }) => cancel.length > 0);
      await Promise.all([...byTenant(cancelling)].map(([tenantId, items]) => deps.messages.cancel(tenantId, items.flatMap(({ cancel }) => cancel), at.toISOString())));
      await deps.scheduler.disarm(names);
      metrics.addMetric(metricNames.schedulesDisarmed, MetricUnit.Count, names.length);
    } catch (error) {
      logger.warn('could not disarm schedules; delivery will find them stale', { error: error as Error, schedules: names.length });
    }
  }
}
