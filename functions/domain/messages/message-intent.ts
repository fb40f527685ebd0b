import { z } from 'zod';
import { channels, messageTypeNames, triggeringKinds, type TriggeringKind } from '#domain/messages/message-types.ts';
import type { DomainEvent, RecordImage } from '#domain/messages/events.ts';
import type { Rule } from '#domain/messages/rules.ts';

/**
 * A message the evaluator decided to send, as it travels to delivery (the queue body). It carries
 * the record's state it was made for, so delivery can tell when it has gone stale.
 */
export const MessageIntent = z.object({
  /** What makes the message unique: this rule, about this version of this record. */
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
 * The message id: a replayed stream record or a second delivery of the same intent gives the same
 * id, so the conditional write of the message record lets only one through.
 */
export const messageId = (kind: string, record: RecordImage, ruleId: string): string => `${kind}.${record.id}.v${record.version}.${ruleId}`;

export function intentFor(event: DomainEvent, rule: Rule, decidedAt: string): MessageIntent {
  return {
    id: messageId(event.kind, event.record, rule.id),
    tenantId: event.tenantId,
    ruleId: rule.id,
    messageType: rule.template,
    channel: rule.channel,
    audience: rule.audience,
    entity: { kind: event.kind, id: event.record.id, version: event.record.version },
    clientId: String(event.record.clientId),
    ...(typeof event.record.locationId === 'string' ? { locationId: event.record.locationId } : {}),
    expected: { status: event.status, schedule: scheduleOf(event.kind, event.record) },
    ...(event.previous ? { previous: { status: String(event.previous.status), schedule: scheduleOf(event.kind, event.previous) } } : {}),
    eventType: event.type,
    decidedAt,
  };
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
