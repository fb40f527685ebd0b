import { z } from 'zod';
import { channels, messageTypeNames, triggeringKinds, type TriggeringKind } from '#domain/messages/message-types.ts';
import type { DomainEvent } from '#domain/messages/events.ts';
import type { Rule } from '#domain/messages/rules.ts';

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
  entity: z.object({ kind: z.enum(triggeringKinds), id: z.string(), version: z.number().int() }),
  clientId: z.string(),
  locationId: z.string().optional(),
  /** The record's status and scheduled time when the message was decided. */
  expected: z.object({ status: z.string(), schedule: z.string().nullable() }),
  /** The record before the change, for "moved from … to …" texts. */
  previous: z.object({ status: z.string(), schedule: z.string().nullable() }).optional(),
  eventType: z.string(),
  decidedAt: z.iso.datetime(),
});
export type MessageIntent = z.infer<typeof MessageIntent>;

const scheduleAttribute: Partial<Record<TriggeringKind, string>> = { booking: 'start', order: 'scheduledAt' };

/** The record before the change, as much of it as the intent remembers (for rendering). */
export function previousRecord(intent: MessageIntent): Record<string, unknown> | undefined {
  if (!intent.previous) return undefined;
  const attribute = scheduleAttribute[intent.entity.kind];
  return { status: intent.previous.status, ...(attribute ? { [attribute]: intent.previous.schedule } : {}) };
}

export function scheduleOf(kind: TriggeringKind, record: Readonly<Record<string, unknown>>): string | null {
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

export function intentsOf(request: DeliveryRequest): MessageIntent[] {
  const { messages, ...shared } = request;
  return messages.map((message) => ({ ...shared, ...message, id: `${shared.entity.kind}.${shared.entity.id}.v${shared.entity.version}.${message.ruleId}` }));
}

/** Why a message no longer applies, if it does not: the record is gone, or its status or time moved on. */
export function staleness(intent: MessageIntent, current: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (!current) return `${intent.entity.kind} was deleted`;
  if (String(current.status) !== intent.expected.status) return `${intent.entity.kind} is now ${String(current.status)}`;
  const schedule = scheduleOf(intent.entity.kind, current);
  if (schedule !== intent.expected.schedule && !(schedule && intent.expected.schedule && Date.parse(schedule) === Date.parse(intent.expected.schedule))) {
    return `${intent.entity.kind} moved to ${schedule ?? 'no time'}`;
  }
  return undefined;
}
