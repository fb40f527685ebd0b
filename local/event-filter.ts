/**
 * Lambda event filtering (the `FilterCriteria` of an event source mapping) for the local stand-ins:
 * a record reaches the function only if it matches at least one pattern. Patterns use the same
 * syntax Lambda takes (EventBridge content filtering), so the deployed ones
 * (`#domain/messages/stream-filter.ts`) are matched here as they are on AWS. Supported: lists of
 * exact values, `{ prefix }`, `{ suffix }`, `{ exists }`, `{ "anything-but" }` (a value or a list)
 * and `{ "equals-ignore-case" }`; anything else is refused when the filter is built, rather than
 * silently matching differently from AWS.
 */
import type { FilterPattern, FilterRule } from '#domain/messages/stream-filter.ts';

const isObject = (value: unknown): boolean => value !== null && typeof value === 'object' && !Array.isArray(value);

function ruleMatches(rule: FilterRule, value: unknown, present: boolean): boolean {
  if (rule === null || typeof rule !== 'object') return present && value === rule;
  // As on AWS, `exists` sees leaf fields only: an object (an intermediate node) does not exist for it.
  if ('exists' in rule) return rule.exists === (present && !isObject(value));
  if (!present) return false;
  if ('prefix' in rule) return typeof value === 'string' && value.startsWith(rule.prefix);
  if ('suffix' in rule) return typeof value === 'string' && value.endsWith(rule.suffix);
  if ('equals-ignore-case' in rule) return typeof value === 'string' && value.toLowerCase() === rule['equals-ignore-case'].toLowerCase();
  const excluded = rule['anything-but'];
  const list: readonly unknown[] = Array.isArray(excluded) ? excluded : [excluded];
  return (typeof value === 'string' || typeof value === 'number') && !list.includes(value);
}

function validate(pattern: FilterPattern, path: string): void {
  for (const [key, condition] of Object.entries(pattern)) {
    const where = path ? `${path}.${key}` : key;
    if (Array.isArray(condition)) {
      if (condition.length === 0) throw new Error(`Filter pattern ${where}: an empty list matches nothing`);
      for (const rule of condition as readonly FilterRule[]) {
        if (rule !== null && typeof rule === 'object') {
          const keys = Object.keys(rule);
          const known = ['prefix', 'suffix', 'exists', 'anything-but', 'equals-ignore-case'];
          if (keys.length !== 1 || !known.includes(keys[0]!)) {
            throw new Error(`Filter pattern ${where}: unsupported rule ${JSON.stringify(rule)} (local mode knows ${known.join(', ')})`);
          }
        }
      }
    } else if (condition !== null && typeof condition === 'object') {
      validate(condition as FilterPattern, where);
    } else {
      throw new Error(`Filter pattern ${where}: expected a list of values or a nested pattern`);
    }
  }
}

function matches(pattern: FilterPattern, value: unknown): boolean {
  const object = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  for (const [key, condition] of Object.entries(pattern)) {
    const present = object !== undefined && Object.hasOwn(object, key) && object[key] !== undefined;
    const field = present ? object[key] : undefined;
    if (Array.isArray(condition)) {
      const rules = condition as readonly FilterRule[];
      // A list value (e.g. a string set) matches when any of its elements does.
      const candidates = Array.isArray(field) ? field : [field];
      if (!rules.some((rule) => candidates.some((candidate) => ruleMatches(rule, candidate, present)))) return false;
    } else {
      if (!present) {
        // Only `exists: false` rules below can match a missing object.
        if (!matchesMissing(condition as FilterPattern)) return false;
        continue;
      }
      if (!matches(condition as FilterPattern, field)) return false;
    }
  }
  return true;
}

function matchesMissing(pattern: FilterPattern): boolean {
  return Object.values(pattern).every((condition) =>
    Array.isArray(condition)
      ? (condition as readonly FilterRule[]).some((rule) => rule !== null && typeof rule === 'object' && 'exists' in rule && !rule.exists)
      : matchesMissing(condition as FilterPattern),
  );
}

/** A predicate for the patterns (OR between patterns); no patterns at all lets everything through. */
export function compileFilter(patterns: readonly FilterPattern[] | undefined): (record: unknown) => boolean {
  if (patterns === undefined || patterns.length === 0) return () => true;
  patterns.forEach((pattern, index) => validate(pattern, `#${index}`));
  return (record) => patterns.some((pattern) => matches(pattern, record));
}
