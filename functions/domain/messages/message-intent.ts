import * as z from 'zod';
import { messageIdOf, type DispatchKey, type MessageId, type ScheduleName } from '#domain/identities.ts';
import { channels, messageEntityKinds, messageTypeNames, templateLimits, type MessageEntityKind, type MessageType } from '#domain/messages/message-types.ts';
import { sameInstant, scheduleAttribute, type DomainEvent } from '#domain/messages/events.ts';
import { anchors, type Rule } from '#domain/messages/rules.ts';

/**
 * What a timed message (a reminder, a follow-up, an overdue notice) was armed for. Delivery sends it
 * only if all of it still holds when it fires: the record's time is the same, its status is one the
 * message holds in, and the rule still has the same timing.
 */
export const TimedFacts = z.object({
  anchor: z.object({ attribute: z.enum(Object.keys(anchors) as [keyof typeof anchors, ...(keyof typeof anchors)[]]), value: z.string() }),
  holdsWhile: z.union([z.literal('any'), z.array(z.string())]),
  /** When it was meant to go, before any move into business hours. */
  dueAt: z.iso.datetime(),
  /** Never sent after this: a reminder never arrives after the appointment. */
  notAfter: z.iso.datetime().optional(),
  /** The rule's timing when armed (`timingKey`). */
  timing: z.string(),
  /** Decided when armed: it is recorded as skipped instead of sent. */
  skipped: z.enum(['too_late', 'outside_business_hours']).optional(),
});
export type TimedFacts = z.infer<typeof TimedFacts>;

/** What the business wrote in a free-form message; delivery renders it as plain text. */
export const MessageContent = z.strictObject({
  subject: z.string().max(templateLimits.subject).optional(),
  text: z.string().min(1).max(templateLimits.text.email),
});
export type MessageContent = z.infer<typeof MessageContent>;

/**
 * A message the evaluator decided to send, as it travels to delivery (the queue body). It carries
 * the record's state it was made for, so delivery can tell when it has gone stale.
 */
export const MessageIntent = z.object({
  /**
   * What makes the message unique: this rule, about this version of this record. A replayed stream
   * record or a second delivery gives the same id, so the conditional write of the message record
   * lets only one through.
   */
  id: z.string().min(1).max(512),
  tenantId: z.string().min(1),
  ruleId: z.string().min(1),
  messageType: z.enum(messageTypeNames),
  channel: z.enum(channels),
  audience: z.enum(['client', 'business']),
  entity: z.object({ kind: z.enum(messageEntityKinds), id: z.string(), version: z.number().int() }),
  clientId: z.string(),
  locationId: z.string().optional(),
  /** The record's status and scheduled time when the message was decided. */
  expected: z.object({ status: z.string(), schedule: z.string().nullable() }),
  /** The record before the change, for "moved from … to …" texts. */
  previous: z.object({ status: z.string(), schedule: z.string().nullable() }).optional(),
  eventType: z.string(),
  decidedAt: z.iso.datetime(),
  timed: TimedFacts.optional(),
  content: MessageContent.optional(),
  /** The API request (or stream record) the message comes from, for following it through the logs. */
  correlationId: z.string().min(1).max(128).optional(),
});
export type MessageIntent = z.infer<typeof MessageIntent>;

/** The record before the change, as much of it as the intent remembers (for rendering). */
export function previousRecord(intent: MessageIntent): Record<string, unknown> | undefined {
  if (!intent.previous) return undefined;
  const attribute = scheduleAttribute[intent.entity.kind];
  return { status: intent.previous.status, ...(attribute ? { [attribute]: intent.previous.schedule } : {}) };
}

export function scheduleOf(kind: MessageEntityKind, record: Readonly<Record<string, unknown>>): string | null {
  const attribute = scheduleAttribute[kind];
  const value = attribute ? record[attribute] : undefined;
  return typeof value === 'string' ? value : null;
}

/**
 * The queue body: every message one record change calls for. They share what they are about, so
 * one body carries them all; delivery claims each message on its own, so retrying the body after a
 * partial failure sends only what was not sent.
 */
export const DeliveryRequest = MessageIntent.omit({ id: true, ruleId: true, messageType: true, channel: true, audience: true, eventType: true }).extend({
  messages: z.array(MessageIntent.pick({ ruleId: true, messageType: true, channel: true, audience: true, eventType: true })).min(1),
});
export type DeliveryRequest = z.infer<typeof DeliveryRequest>;

/** The request that carries one message alone (a timed message re-armed for later). */
export function requestOf(intent: MessageIntent): DeliveryRequest {
  const { id: _id, ruleId, messageType, channel, audience, eventType, ...shared } = intent;
  return { ...shared, messages: [{ ruleId, messageType, channel, audience, eventType }] };
}

/** The delivery request for the rules an event matched. */
export function deliveryRequest(event: DomainEvent, matched: readonly { readonly rule: Rule; readonly eventType: string }[], decidedAt: string): DeliveryRequest {
  return {
    tenantId: event.tenantId,
    entity: { kind: event.kind, id: event.record.id, version: event.record.version },
    clientId: String(event.record.clientId),
    ...(typeof event.record.locationId === 'string' ? { locationId: event.record.locationId } : {}),
    expected: { status: event.status, schedule: scheduleOf(event.kind, event.record) },
    ...(event.previous ? { previous: { status: String(event.previous.status), schedule: scheduleOf(event.kind, event.previous) } } : {}),
    decidedAt,
    messages: matched.map(({ rule, eventType }) => ({ ruleId: rule.id, messageType: rule.template, channel: rule.channel, audience: rule.audience, eventType })),
  };
}

/**
 * A message sent by hand from the client card: its rule id carries the message type and a fresh id
 * of the request, which alone make the message unique.
 */
export const manualRuleId = (messageType: MessageType, key: string): string => `manual.${messageType}.${key}`;
const isManual = (ruleId: string): boolean => ruleId.startsWith('manual.');

/**
 * The messages of a request, each with its id. An event's message is about one version of the
 * record; a timed message is about the time it is due, whatever edits the record has seen since; a
 * manual one is about its type and key, whatever version of the record it was sent from.
 */
export function intentsOf(request: DeliveryRequest): MessageIntent[] {
  const { messages, ...shared } = request;
  const { kind, id, version } = shared.entity;
  const idOf = (rule: string): MessageId => {
    if (shared.timed) return messageIdOf({ about: { kind, id }, rule, dueAt: shared.timed.dueAt });
    return messageIdOf({ about: isManual(rule) ? { kind, id } : { kind, id, version }, rule });
  };
  return messages.map((message) => ({ ...shared, ...message, id: idOf(message.ruleId) }));
}

/** A delivery request on its way: on a one-time schedule at `at`, or to the delivery queue at once. */
export interface Dispatch {
  /** The schedule's name, or the queue message's id. */
  readonly name: ScheduleName | DispatchKey;
  readonly at?: string;
  readonly request: DeliveryRequest;
}

/**
 * Why a message no longer applies, if it does not: the record is gone, or its status or time moved
 * on; for a timed message, also a rule that changed its timing or went away (`ruleTiming` is the
 * rule's timing now, undefined if it is off or deleted). A message about the client (from the card)
 * holds until the client is archived: a lead that became active still gets it.
 */
export function staleness(intent: MessageIntent, current: Readonly<Record<string, unknown>> | undefined, ruleTiming?: string): string | undefined {
  const { kind } = intent.entity;
  if (!current) return `${kind} was deleted`;
  const status = String(current.status);
  const { timed } = intent;
  if (timed) {
    if (timed.holdsWhile !== 'any' && !timed.holdsWhile.includes(status)) return `${kind} is now ${status}`;
    const value = current[timed.anchor.attribute];
    if (typeof value !== 'string' || !sameInstant(value, timed.anchor.value)) return `${kind} moved to ${typeof value === 'string' ? value : 'no time'}`;
    if (ruleTiming === undefined) return 'the rule is off or deleted';
    if (ruleTiming !== timed.timing) return `the rule now sends ${ruleTiming}`;
    return undefined;
  }
  if (kind === 'client' ? status === 'archived' : status !== intent.expected.status) return `${kind} is now ${status}`;
  const schedule = scheduleOf(kind, current);
  if (!sameInstant(schedule, intent.expected.schedule)) return `${kind} moved to ${schedule ?? 'no time'}`;
  return undefined;
}
