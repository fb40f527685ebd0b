import { locationKind, type BusinessHours } from '#domain/locations.ts';
import type { RecordStore } from '#domain/record-store.ts';
import { defaultSettings, settingsId, settingsKind } from '#domain/settings.ts';
import { withinBusinessHours } from '#domain/business-hours.ts';
import type { RecordImage } from '#domain/messages/events.ts';
import type { TriggeringKind } from '#domain/messages/message-types.ts';
import { messageIdOf, scheduleNameOf, type MessageId } from '#domain/identities.ts';
import { scheduleOf, type DeliveryRequest, type Dispatch, type TimedFacts } from '#domain/messages/message-intent.ts';
import { anchors, timingKey, type TimedRule } from '#domain/messages/rules.ts';
import { dateAnchor, offsetMs, shiftInstant } from '#domain/messages/timing.ts';

/** Where a record's times are read: the zone (and hours) of its location, else the business's zone. */
export interface Place {
  readonly timeZone: string;
  readonly businessHours?: BusinessHours;
}
export type PlaceOf = (locationId: string | undefined) => Place;

/** A timed message a record calls for in its current state: when it is due and when it would go. */
export interface TimedMessage {
  readonly rule: TimedRule;
  readonly messageId: MessageId;
  readonly anchorValue: string;
  readonly dueAt: string;
  /** After any move into business hours; undefined when no opening fits before the appointment. */
  readonly sendAt: string | undefined;
  readonly notAfter?: string;
}

const locationOf = (record: RecordImage): string | undefined => (typeof record.locationId === 'string' ? record.locationId : undefined);

/** The timed messages the rules call for on a record as it stands (none for a deleted one). */
export function timedMessagesOf(kind: TriggeringKind, record: RecordImage | undefined, rules: readonly TimedRule[], placeOf: PlaceOf): TimedMessage[] {
  if (!record) return [];
  const status = String(record.status);
  const locationId = locationOf(record);
  const messages: TimedMessage[] = [];
  for (const rule of rules) {
    if (rule.entity !== kind) continue;
    if (rule.holdsWhile !== 'any' && !rule.holdsWhile.includes(status)) continue;
    if (rule.locations !== 'all' && (locationId === undefined || !rule.locations.includes(locationId))) continue;
    const anchorValue = record[rule.anchor];
    if (typeof anchorValue !== 'string') continue;
    const place = placeOf(locationId);
    const anchorAt = anchors[rule.anchor] === 'date' ? dateAnchor(anchorValue, place.timeZone) : new Date(anchorValue).toISOString();
    const dueAt = shiftInstant(anchorAt, rule.offset, rule.direction, place.timeZone);
    const notAfter = rule.direction === 'before' ? anchorAt : undefined;
    let sendAt: string | undefined = dueAt;
    if (rule.businessHoursOnly && place.businessHours) {
      const moved = withinBusinessHours(new Date(dueAt), place.businessHours, place.timeZone, notAfter ? new Date(notAfter) : undefined);
      sendAt = 'at' in moved ? moved.at.toISOString() : undefined;
    }
    messages.push({ rule, messageId: messageIdOf({ about: { kind, id: record.id }, rule: rule.id, dueAt }), anchorValue, dueAt, sendAt, ...(notAfter ? { notAfter } : {}) });
  }
  return messages;
}

export interface TimedPlan {
  /** New, or due at another time than before: create (or replace) their schedules. */
  readonly arm: readonly TimedMessage[];
  /** No longer called for: delete their schedules. */
  readonly disarm: readonly TimedMessage[];
}

/**
 * What changed between two states: a record's before and after a write (same rules), or one
 * record under a tenant's rules before and after an edit of them (same record). A replayed or
 * unrelated write changes nothing, so it arms nothing.
 */
export function timedPlan(before: readonly TimedMessage[], after: readonly TimedMessage[]): TimedPlan {
  const previous = new Map(before.map((message) => [message.messageId, message]));
  const current = new Set(after.map((message) => message.messageId));
  return {
    arm: after.filter((message) => {
      const earlier = previous.get(message.messageId);
      return !earlier || earlier.sendAt !== message.sendAt;
    }),
    disarm: before.filter((message) => !current.has(message.messageId)),
  };
}

/** Sooner than this, a schedule is not worth it: the message goes to delivery at once. */
const scheduleLeadMs = 5_000;

/**
 * Arms one timed message. `armedAt` is when the change that armed it was made: a message whose time
 * had passed by then is skipped as too late, unless the rule sends late ones within a grace period.
 * A message that came due only while the change was on its way is ours to be late with: it goes now.
 */
export function armTimed(tenantId: string, kind: TriggeringKind, record: RecordImage, message: TimedMessage, armedAt: Date, now: Date): Dispatch {
  const { rule } = message;
  const grace = rule.sendLateWithin ? offsetMs(rule.sendLateWithin) : 0;
  const pastLimit = message.notAfter !== undefined && now.getTime() >= Date.parse(message.notAfter);
  let skipped: TimedFacts['skipped'];
  if (message.sendAt === undefined) skipped = 'outside_business_hours';
  else if (pastLimit || armedAt.getTime() - Date.parse(message.sendAt) > grace) skipped = 'too_late';

  const locationId = locationOf(record);
  const request: DeliveryRequest = {
    tenantId,
    entity: { kind, id: record.id, version: record.version },
    clientId: String(record.clientId),
    ...(locationId ? { locationId } : {}),
    expected: { status: String(record.status), schedule: scheduleOf(kind, record) },
    decidedAt: now.toISOString(),
    messages: [{ ruleId: rule.id, messageType: rule.template, channel: rule.channel, audience: rule.audience, eventType: `${kind}.${rule.direction}_${rule.anchor}` }],
    timed: {
      anchor: { attribute: rule.anchor, value: message.anchorValue },
      holdsWhile: rule.holdsWhile === 'any' ? 'any' : [...rule.holdsWhile],
      dueAt: message.dueAt,
      ...(message.notAfter ? { notAfter: message.notAfter } : {}),
      timing: timingKey(rule),
      ...(skipped ? { skipped } : {}),
    },
  };
  const name = scheduleNameOf(tenantId, message.messageId);
  const later = !skipped && Date.parse(message.sendAt!) - now.getTime() > scheduleLeadMs;
  return later ? { name, at: message.sendAt!, request } : { name, request };
}

/** The places of a tenant's records in one read: the settings (its zone) and the named locations. */
export async function loadPlaces(store: RecordStore, tenantId: string, locationIds: Iterable<string>): Promise<PlaceOf> {
  const ids = [...new Set(locationIds)];
  const loaded = await store.getMany(tenantId, [{ kind: settingsKind, id: settingsId }, ...ids.map((id) => ({ kind: locationKind, id }) as const)]);
  const settings = loaded.get(settingsKind, settingsId) ?? defaultSettings;
  const businessZone = { timeZone: settings.timeZone };
  return (locationId) => {
    const location = locationId === undefined ? undefined : loaded.get(locationKind, locationId);
    return location ? { timeZone: location.timeZone, businessHours: location.businessHours } : businessZone;
  };
}

/** How far a schedule may fire from its instant and still be on time (Scheduler fires within a minute). */
const onTimeMs = 60_000;

/** What a timed message's place says when its schedule fires: send it, move it to the next opening, or not. */
export type FireCheck = { readonly go: true } | { readonly moveTo: string } | { readonly stale: string } | { readonly skipped: 'outside_business_hours' };

/**
 * Delivery's second look at a timed message as its schedule fires, with the record's place as it
 * is now (an edit of hours or zone may have come after it was armed, and its re-arming may not be
 * done yet): due at another instant now (the zone moved it), it is not sent at this one; outside
 * business hours now, it moves to the next opening before the appointment, or goes unsent.
 */
export function checkAtFire(intent: { readonly id: string; readonly entity: { readonly kind: TriggeringKind } }, rule: TimedRule, record: RecordImage, place: Place, now: Date): FireCheck {
  const current = timedMessagesOf(intent.entity.kind, record, [rule], () => place).find((message) => message.messageId === intent.id);
  if (!current) return { stale: 'it is now due at another time (its time zone changed)' };
  if (!rule.businessHoursOnly || !place.businessHours) return { go: true };
  const opening = withinBusinessHours(now, place.businessHours, place.timeZone, current.notAfter ? new Date(current.notAfter) : undefined);
  if (!('at' in opening)) return opening;
  const ahead = opening.at.getTime() - now.getTime();
  if (Math.abs(ahead) < onTimeMs) return { go: true };
  // Later: the next opening. Earlier: the last open minute before now, so it is closed until after the appointment.
  return ahead > 0 ? { moveTo: opening.at.toISOString() } : { skipped: 'outside_business_hours' };
}
