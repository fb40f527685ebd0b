import { withinBusinessHours } from '#domain/business-hours.ts';
import { deriveEvents, type RecordImage } from '#domain/messages/events.ts';
import { dispatchKeyOf, scheduleNameOf, type DispatchKey, type MessageId, type ScheduleName } from '#domain/identities.ts';
import { deliveryRequest, type Dispatch } from '#domain/messages/message-intent.ts';
import { autoReplyFor, customTimedRule, matchingRules, systemRules, timedSystemRules, type AutomatedMessagesInput, type CustomRule, type Rule, type TimedRule } from '#domain/messages/rules.ts';
import { isMessageType, messageTypeDeclarations, type Channel, type TriggeringKind } from '#domain/messages/message-types.ts';
import type { MessageTypeDeclaration } from '#domain/messages/types/declaration.ts';
import { messageKind, type CancelReason, type Cancellation, type ConversationMessage } from '#domain/messages/conversation.ts';
import { openBookingStatuses, type BookingStatus } from '#domain/bookings.ts';
import { cancelReasonOf } from '#domain/messages/upcoming.ts';
import { armTimed, timedMessagesOf, timedPlan, type PlaceOf, type TimedMessage } from '#domain/messages/timed-messages.ts';
import { shiftInstant } from '#domain/messages/timing.ts';

/** What the evaluator knows of one tenant: its custom rules and its settings page. */
export interface TenantRules {
  readonly custom: readonly CustomRule[];
  readonly automated: AutomatedMessagesInput;
}

/** A tenant's rules as the evaluator applies them. */
export interface EvaluatedRules {
  /**
   * Enabled event rules by the entity they are about, the settings page's before the custom ones (a
   * custom rule is a rule as stored): an event is matched against its own entity's rules only.
   */
  readonly event: ReadonlyMap<TriggeringKind, readonly Rule[]>;
  readonly timed: readonly TimedRule[];
  /** Whether any rule needs the record's place (its time zone or business hours) to be timed. */
  readonly needsPlace: boolean;
  /** The settings page, for its auto-replies. */
  readonly automated: AutomatedMessagesInput;
}

export function rulesOf(tenant: TenantRules): EvaluatedRules {
  const timed = timedSystemRules(tenant.automated);
  const event = new Map<TriggeringKind, Rule[]>();
  const add = (rule: Rule) => {
    const list = event.get(rule.trigger.entity);
    if (list) list.push(rule);
    else event.set(rule.trigger.entity, [rule]);
  };
  for (const rule of systemRules(tenant.automated)) add(rule);
  let needsPlace = false;
  // One pass: the evaluator builds this per tenant and batch, and a tenant may have hundreds of rules.
  for (const rule of tenant.custom) {
    if (!rule.enabled) continue;
    if (rule.trigger.on === 'before_schedule') {
      const reminder = customTimedRule(rule);
      if (reminder) timed.push(reminder);
      continue;
    }
    add(rule);
    if (rule.delay !== undefined || rule.businessHoursOnly) needsPlace = true;
  }
  return { event, timed, needsPlace: needsPlace || timed.length > 0, automated: tenant.automated };
}

/** One changed record as the stream reports it. */
export interface RecordChange {
  readonly kind: TriggeringKind;
  readonly tenantId: string;
  readonly previous: RecordImage | undefined;
  readonly record: RecordImage | undefined;
}

/** When an event rule's message goes: after its delay, moved into business hours if it asks to be; `now` if neither. */
function sendTime(rule: Rule, now: string, record: RecordImage, placeOf: PlaceOf): string {
  if (!rule.delay && !rule.businessHoursOnly) return now;
  const place = placeOf(typeof record.locationId === 'string' ? record.locationId : undefined);
  const due = rule.delay ? shiftInstant(now, rule.delay, 'after', place.timeZone) : now;
  if (!rule.businessHoursOnly || !place.businessHours) return due;
  // An event message has no appointment to stay ahead of; with no opening in sight it goes when due.
  const moved = withinBusinessHours(new Date(due), place.businessHours, place.timeZone);
  return 'at' in moved ? moved.at.toISOString() : due;
}

/**
 * The messages one record change calls for under the tenant's rules: event messages (one request
 * per send time: now, or later after a delay or outside business hours) and the timed messages the
 * change arms, plus the schedules of timed messages it makes obsolete.
 */
export function messagesFor(change: RecordChange, rules: EvaluatedRules, placeOf: PlaceOf, now: Date): { dispatch: Dispatch[] } & Disarmed {
  const events = deriveEvents(change.kind, change.tenantId, change.previous, change.record);
  const decidedAt = now.toISOString();
  type Matched = { rule: Rule; eventType: string };
  const immediate: Matched[] = [];
  let later: Map<string, Matched[]> | undefined;
  for (const event of events) {
    for (const rule of matchingRules(rules.event.get(event.kind) ?? [], event)) {
      const at = sendTime(rule, decidedAt, event.record, placeOf);
      if (at === decidedAt) immediate.push({ rule, eventType: event.type });
      else (later ??= new Map()).set(at, [...(later.get(at) ?? []), { rule, eventType: event.type }]);
    }
  }
  const dispatch: Dispatch[] = [];
  // Only a change with events dispatches, and it has an image.
  const image = (change.record ?? change.previous)!;
  const keyOf = (at?: string): DispatchKey => dispatchKeyOf({ kind: change.kind, id: image.id, version: image.version }, at);
  if (immediate.length > 0) dispatch.push({ name: keyOf(), request: deliveryRequest(events[0]!, immediate, decidedAt) });
  for (const [at, matched] of later ?? []) dispatch.push({ name: scheduleNameOf(change.tenantId, keyOf(at)), at, request: deliveryRequest(events[0]!, matched, decidedAt) });

  const { previous, record } = change;
  // A replayed older image arms nothing.
  if (!record || (previous && record.version <= previous.version) || rules.timed.length === 0) return { dispatch, disarm: [], cancel: [] };
  const plan = timedPlan(timedMessagesOf(change.kind, previous, rules.timed, placeOf), timedMessagesOf(change.kind, record, rules.timed, placeOf));
  const armedAt = typeof record.updatedAt === 'string' ? new Date(record.updatedAt) : now;
  for (const message of plan.arm) dispatch.push(armTimed(change.tenantId, change.kind, record, message, armedAt, now));
  return { dispatch, ...disarmable(change.tenantId, plan.disarm, now, (message) => cancelReasonOf(message, previous, record)) };
}

/** An inbound conversation item (a contact form, a message, a document) as the stream reports its insert. */
export interface InboundItem {
  readonly tenantId: string;
  readonly id: string;
  readonly version: number;
  readonly clientId: string;
  readonly messageType: string;
  readonly status: string;
  readonly replyChannel?: Channel | undefined;
}

/**
 * The auto-reply an inbound item calls for, if the settings page has it on: one message, on the
 * channel the person wrote from. Without one it is asked for by email, so delivery records that no
 * address was there rather than nothing at all.
 */
export function autoReplyOf(item: InboundItem, rules: EvaluatedRules, now: Date): Dispatch | undefined {
  const channel = item.replyChannel ?? 'email';
  const reply = autoReplyFor(rules.automated, item.messageType, channel);
  if (!reply) return undefined;
  return {
    name: dispatchKeyOf({ kind: messageKind, id: item.id, version: item.version }),
    request: {
      tenantId: item.tenantId,
      entity: { kind: messageKind, id: item.id, version: item.version },
      clientId: item.clientId,
      expected: { status: item.status, schedule: null },
      decidedAt: now.toISOString(),
      messages: [{ ruleId: reply.ruleId, messageType: reply.template, channel, audience: 'client', eventType: `${messageKind}.received` }],
    },
  };
}

/** What disarming does: the schedules to delete, and the `scheduled` messages that become `cancelled`. */
export interface Disarmed {
  readonly disarm: ScheduleName[];
  readonly cancel: Cancellation[];
}

/** Schedules worth deleting: those still to fire (fired ones deleted themselves); their messages are cancelled with `reasonOf`. */
export function disarmable(tenantId: string, messages: readonly TimedMessage[], now: Date, reasonOf: (message: TimedMessage) => CancelReason): Disarmed {
  const ahead = messages.filter((message) => message.sendAt !== undefined && Date.parse(message.sendAt) > now.getTime());
  return {
    disarm: ahead.map((message) => scheduleNameOf(tenantId, message.messageId)),
    cancel: ahead.map((message) => ({ id: message.messageId, reason: reasonOf(message) })),
  };
}

/** How many of a client's scheduled messages a new booking looks through for re-engagements to disarm. */
export const bookedAgainLookupLimit = 100;

/**
 * The client whose scheduled re-engagements a change disarms: a new open booking ahead of `now`,
 * at a tenant with re-engagement on. Undefined otherwise, and then nothing is looked up, so
 * tenants with re-engagement off pay nothing for it.
 */
export function bookedAgainClientOf(change: RecordChange, rules: EvaluatedRules, now: Date): string | undefined {
  const { kind, previous, record } = change;
  if (kind !== 'booking' || previous || !record || rules.automated.reEngagement.mode === 'none') return undefined;
  if (typeof record.clientId !== 'string' || !openBookingStatuses.includes(record.status as BookingStatus)) return undefined;
  // A booking entered for a past date (an import) is history, not the client booking again.
  if (typeof record.start !== 'string' || Date.parse(record.start) <= now.getTime()) return undefined;
  return record.clientId;
}

/** Whether a message type is sent only while the client has not booked again (re-engagement). */
function unlessBookedAgain(messageType: string): boolean {
  if (!isMessageType(messageType)) return false;
  const declaration: MessageTypeDeclaration = messageTypeDeclarations[messageType];
  return 'unlessBookedAgain' in declaration && declaration.unlessBookedAgain === true;
}

/**
 * The client's scheduled re-engagements (types declared `unlessBookedAgain`) a new booking disarms
 * (`cancelled: booked_again`): all but the booking's own, still to fire. Delivery's booked-again
 * check stays, for a disarm that failed.
 */
export function bookedAgainDisarm(tenantId: string, bookingId: string, upcoming: readonly ConversationMessage[], now: Date): Disarmed {
  const ahead = upcoming.filter(
    (message) => message.status === 'scheduled' && unlessBookedAgain(message.messageType) && message.entity?.id !== bookingId && message.dueAt !== undefined && Date.parse(message.dueAt) > now.getTime(),
  );
  return {
    disarm: ahead.map((message) => scheduleNameOf(tenantId, message.id as MessageId)),
    cancel: ahead.map((message) => ({ id: message.id, reason: 'booked_again' })),
  };
}
