import { InvalidIdentity, parseRearmJobId, rearmJobIdOf } from '#domain/identities.ts';
import type { RecordMeta } from '#domain/record.ts';
import type { TriggeringKind } from '#domain/messages/message-types.ts';
import { anchors, automatedMessagesKind, automatedMessagesOf, customTimedRule, ruleKind, timedSystemRules, type CustomRule, type TimedRule } from '#domain/messages/rules.ts';
import { offsetMs } from '#domain/messages/timing.ts';

/**
 * Re-arming after a timed rule or the settings page changed: each future record of the kind gets
 * the schedules the new rules call for, and loses those only the old rules did. The work goes in
 * pages; each page is a `rearm` item whose stream record makes the evaluator do it, so no
 * invocation handles more than one page however many records a tenant has.
 */
export const rearmKind = 'rearm';
export const rearmPageSize = 50;

export interface RearmJob extends RecordMeta {
  readonly entity: TriggeringKind;
  /** The first record time that can still have a message to come (an instant, or a date for date-timed kinds). */
  readonly from: string;
  readonly cursor?: string;
  readonly page: number;
  readonly before: readonly TimedRule[];
  readonly after: readonly TimedRule[];
  /**
   * When the rules were edited: the change that arms what the job arms. A message whose time came
   * only after the edit is not too late, however late the job runs (a stream held up by a restart).
   */
  readonly changedAt?: string;
}

/** The timed rules one stored rules item stands for (a custom rule, or the settings page). */
function timedRulesOfItem(kind: string, item: Readonly<Record<string, unknown>> | undefined): TimedRule[] {
  if (kind === automatedMessagesKind) return timedSystemRules(automatedMessagesOf(item));
  const rule = item ? customTimedRule(item as unknown as CustomRule) : undefined;
  return rule ? [rule] : [];
}

/** A custom rule or the settings page: the items whose edits may re-arm timed messages. */
export const isRulesItem = (kind: unknown): kind is string => kind === ruleKind || kind === automatedMessagesKind;

/** One day of slack: a date anchor is read at 09:00 in a zone up to 14 hours from UTC. */
const dayMs = 86_400_000;

/**
 * The first page of re-arming for each kind whose timed rules an edit of a rules item changed,
 * or none. Job ids come from the edit, so a replayed stream record makes the same jobs.
 */
export function rearmJobs(previous: Readonly<Record<string, unknown>> | undefined, current: Readonly<Record<string, unknown>>, now: Date): RearmJob[] {
  const kind = current.kind;
  if (!isRulesItem(kind)) return [];
  if (previous && Number(current.version) <= Number(previous.version)) return [];
  const before = timedRulesOfItem(kind, previous);
  const after = timedRulesOfItem(kind, current);
  const was = new Map(before.map((rule) => [rule.id, JSON.stringify(rule)]));
  const is = new Map(after.map((rule) => [rule.id, JSON.stringify(rule)]));
  const changedIds = new Set([...was.keys(), ...is.keys()].filter((id) => was.get(id) !== is.get(id)));
  const changed = [...before, ...after].filter((rule) => changedIds.has(rule.id));
  const entities = [...new Set(changed.map((rule) => rule.entity))];
  return entities.map((entity) => {
    const rules = changed.filter((rule) => rule.entity === entity);
    // A message "after" the record's time can still be ahead for records whose time is past.
    const lookBack = Math.max(0, ...rules.filter((rule) => rule.direction === 'after').map((rule) => offsetMs(rule.offset) + dayMs));
    const fromInstant = new Date(now.getTime() - lookBack).toISOString();
    const dated = rules.some((rule) => anchors[rule.anchor] === 'date');
    const at = now.toISOString();
    return {
      id: rearmJobIdOf({ rules: { id: String(current.id), version: Number(current.version) }, entity, page: 1 }),
      version: 1,
      createdAt: at,
      updatedAt: at,
      entity,
      from: dated ? fromInstant.slice(0, 10) : fromInstant,
      page: 1,
      changedAt: typeof current.updatedAt === 'string' ? current.updatedAt : at,
      // Only the changed rules: the others arm and disarm nothing.
      before: before.filter((rule) => rule.entity === entity && changedIds.has(rule.id)),
      after: after.filter((rule) => rule.entity === entity && changedIds.has(rule.id)),
    };
  });
}

/** The job for the page after `job`, which ended at `cursor`. */
export function nextRearmJob(job: RearmJob, cursor: string, now: Date): RearmJob {
  const at = now.toISOString();
  const parts = parseRearmJobId(job.id);
  if (!parts) throw new InvalidIdentity(`rearm job id ${JSON.stringify(job.id)} is not one rearmJobIdOf makes`);
  return { ...job, id: rearmJobIdOf({ ...parts, page: job.page + 1 }), version: 1, createdAt: at, updatedAt: at, cursor, page: job.page + 1 };
}
