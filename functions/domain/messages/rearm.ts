import * as z from 'zod';
import { InvalidIdentity, parseRearmJobId, rearmJobIdOf } from '#domain/identities.ts';
import type { RecordOf } from '#domain/record-kinds.ts';
import { RecordMeta } from '#domain/record.ts';
import { channels, messageTypeNames, triggeringKinds } from '#domain/messages/message-types.ts';
import { anchors, automatedMessagesKind, automatedMessagesOf, customTimedRule, ruleKind, timedSystemRules, type Anchor, type CustomRule, type TimedRule } from '#domain/messages/rules.ts';
import { Offset, offsetMs } from '#domain/messages/timing.ts';
import { BusinessHours, locationKind, type Location } from '#domain/locations.ts';
import { settingsKind, type Settings } from '#domain/settings.ts';
import { TimeZone } from '#domain/values.ts';
import type { Place } from '#domain/messages/timed-messages.ts';

/**
 * Re-arming after a timed rule or the settings page changed: each future record of the kind gets
 * the schedules the new rules call for, and loses those only the old rules did. The work goes in
 * pages; each page is a `rearm` item whose stream record makes the evaluator do it, so no
 * invocation handles more than one page however many records a tenant has.
 */
export const rearmKind = 'rearm';
export const rearmPageSize = 50;
/** Scheduler calls (arm and disarm) one page may make, to stay well within EventBridge Scheduler's request quotas. */
export const rearmCallsPerPage = 100;

const StringList = z.array(z.string()).readonly();

/** A timed rule as a re-arming job carries it (see `TimedRule`). */
const StoredTimedRule = z.strictObject({
  id: z.string(),
  entity: z.enum(triggeringKinds),
  anchor: z.custom<Anchor>((value) => typeof value === 'string' && Object.hasOwn(anchors, value)),
  direction: z.enum(['before', 'after']),
  offset: Offset,
  /** The statuses in which the message still applies; 'any' for records with the tenant's own statuses. */
  holdsWhile: z.union([z.literal('any'), StringList]),
  audience: z.enum(['client', 'business']),
  channel: z.enum(channels),
  template: z.enum(messageTypeNames),
  locations: z.union([z.literal('all'), StringList]),
  businessHoursOnly: z.boolean(),
  sendLateWithin: Offset.optional(),
}) satisfies z.ZodType<TimedRule>;

const StoredPlace = z.strictObject({ timeZone: TimeZone, businessHours: BusinessHours.optional() }) satisfies z.ZodType<Place>;

export const RearmJob = z.strictObject({
  ...RecordMeta.shape,
  entity: z.enum(triggeringKinds),
  /** The first record time that can still have a message to come (an instant, or a date for date-timed kinds). */
  from: z.string(),
  cursor: z.string().optional(),
  page: z.number().int(),
  before: z.array(StoredTimedRule).readonly(),
  after: z.array(StoredTimedRule).readonly(),
  /**
   * When the rules were edited: the change that arms what the job arms. A message whose time came
   * only after the edit is not too late, however late the job runs (a stream held up by a restart).
   */
  changedAt: z.string().optional(),
  /**
   * A place edit re-arms: the same rules (`before` and `after`) read at the place as it was and as
   * it is, for the records at the location (or, without `locationId`, those with none: the
   * business zone is theirs).
   */
  place: z.strictObject({ locationId: z.string().optional(), before: StoredPlace, after: StoredPlace }).optional(),
});
export type RearmJob = z.infer<typeof RearmJob>;

/** An edit of a rules item (a custom rule, or the settings page), the item before and after it. */
export type RulesEdit =
  | { readonly kind: typeof ruleKind; readonly previous: CustomRule | undefined; readonly current: CustomRule }
  | { readonly kind: typeof automatedMessagesKind; readonly previous: RecordOf<typeof automatedMessagesKind> | undefined; readonly current: RecordOf<typeof automatedMessagesKind> };

/** The timed rules one side of the edit stands for (before a first save, the settings page's defaults). */
function timedRulesOf(edit: RulesEdit, side: 'previous' | 'current'): TimedRule[] {
  if (edit.kind === automatedMessagesKind) return timedSystemRules(automatedMessagesOf(edit[side]));
  const item = edit[side];
  const rule = item ? customTimedRule(item) : undefined;
  return rule ? [rule] : [];
}

/** A custom rule or the settings page: the items whose edits may re-arm timed messages. */
export const isRulesItem = (kind: unknown): kind is typeof ruleKind | typeof automatedMessagesKind => kind === ruleKind || kind === automatedMessagesKind;

/** One day of slack: a date anchor is read at 09:00 in a zone up to 14 hours from UTC. */
const dayMs = 86_400_000;

/** The first page of one kind's re-arming: from the first record time that can still have a message ahead. */
function firstPage(source: { id: string; version: number; updatedAt?: string | undefined }, entity: RearmJob['entity'], before: readonly TimedRule[], after: readonly TimedRule[], now: Date): RearmJob {
  const rules = [...before, ...after];
  // A message "after" the record's time can still be ahead for records whose time is past.
  const lookBack = Math.max(0, ...rules.filter((rule) => rule.direction === 'after').map((rule) => offsetMs(rule.offset) + dayMs));
  const fromInstant = new Date(now.getTime() - lookBack).toISOString();
  const dated = rules.some((rule) => anchors[rule.anchor] === 'date');
  const at = now.toISOString();
  return {
    id: rearmJobIdOf({ rules: { id: source.id, version: source.version }, entity, page: 1 }),
    version: 1,
    createdAt: at,
    updatedAt: at,
    entity,
    from: dated ? fromInstant.slice(0, 10) : fromInstant,
    page: 1,
    changedAt: source.updatedAt ?? at,
    before: [...before],
    after: [...after],
  };
}

/**
 * The first page of re-arming for each kind whose timed rules an edit of a rules item changed,
 * or none. Job ids come from the edit, so a replayed stream record makes the same jobs.
 */
export function rearmJobs(edit: RulesEdit, now: Date): RearmJob[] {
  const { previous, current } = edit;
  if (previous && current.version <= previous.version) return [];
  const before = timedRulesOf(edit, 'previous');
  const after = timedRulesOf(edit, 'current');
  const was = new Map(before.map((rule) => [rule.id, JSON.stringify(rule)]));
  const is = new Map(after.map((rule) => [rule.id, JSON.stringify(rule)]));
  const changedIds = new Set([...was.keys(), ...is.keys()].filter((id) => was.get(id) !== is.get(id)));
  const changed = [...before, ...after].filter((rule) => changedIds.has(rule.id));
  const entities = [...new Set(changed.map((rule) => rule.entity))];
  // Only the changed rules: the others arm and disarm nothing.
  return entities.map((entity) =>
    firstPage(current, entity, before.filter((rule) => rule.entity === entity && changedIds.has(rule.id)), after.filter((rule) => rule.entity === entity && changedIds.has(rule.id)), now),
  );
}

/** An edit of a place: a location (its zone and hours), or the settings (the business zone). */
export type PlaceEdit =
  | { readonly kind: typeof locationKind; readonly previous: Location | undefined; readonly current: Location }
  | { readonly kind: typeof settingsKind; readonly previous: Settings | undefined; readonly current: Settings };

/** The place an edit's side stands for; a location's hours count, the business has none. */
const placeOf = (edit: PlaceEdit, side: Location | Settings): Place =>
  edit.kind === locationKind ? { timeZone: side.timeZone, businessHours: (side as Location).businessHours } : { timeZone: side.timeZone };

/**
 * The first page of re-arming for each kind with timed rules, when an edit moved a place: a
 * location's zone or hours, or the business zone (settings saved for the first time count from the
 * default zone, `defaultZone`). A new location has no records yet; another edit moves nothing.
 */
export function placeRearmJobs(edit: PlaceEdit, timed: readonly TimedRule[], defaultZone: string, now: Date): RearmJob[] {
  const { previous, current } = edit;
  if (previous && current.version <= previous.version) return [];
  if (!previous && edit.kind === locationKind) return [];
  const before = previous ? placeOf(edit, previous) : { timeZone: defaultZone };
  const after = placeOf(edit, current);
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const entities = [...new Set(timed.map((rule) => rule.entity))];
  // Named apart from rules items, whose ids are ULIDs or the settings page's.
  const source = { id: edit.kind === locationKind ? `location-${edit.current.id}` : 'business-zone', version: current.version, updatedAt: current.updatedAt };
  return entities.map((entity) => {
    const rules = timed.filter((rule) => rule.entity === entity);
    return { ...firstPage(source, entity, rules, rules, now), place: { ...(edit.kind === locationKind ? { locationId: edit.current.id } : {}), before, after } };
  });
}

/**
 * How many records one page of a job re-arms: a record arms at most one message per rule after
 * the edit and disarms at most one per rule before it, so a page stays within `rearmCallsPerPage`
 * (with up to 50 rules a side; a record is never split across pages).
 */
export const rearmPageSizeOf = (job: Pick<RearmJob, 'before' | 'after'>): number =>
  Math.max(1, Math.min(rearmPageSize, Math.floor(rearmCallsPerPage / Math.max(1, job.before.length + job.after.length))));

/** The job for the page after `job`, which ended at `cursor`. */
export function nextRearmJob(job: RearmJob, cursor: string, now: Date): RearmJob {
  const at = now.toISOString();
  const parts = parseRearmJobId(job.id);
  if (!parts) throw new InvalidIdentity(`rearm job id ${JSON.stringify(job.id)} is not one rearmJobIdOf makes`);
  return { ...job, id: rearmJobIdOf({ ...parts, page: job.page + 1 }), version: 1, createdAt: at, updatedAt: at, cursor, page: job.page + 1 };
}
