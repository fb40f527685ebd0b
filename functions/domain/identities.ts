import { createHash } from 'node:crypto';
import { messageEntityKinds, triggeringKinds, type MessageEntityKind, type TriggeringKind } from '#domain/messages/message-types.ts';

/**
 * Every identity that stored data and the message path depend on, built and parsed here only: the
 * id that makes a message go once, the key of a queue message or schedule, a schedule's name, a
 * re-arming page's id, a claim's key and a remembered request's key. The formats are stored and
 * must never change; a part that would make one ambiguous is refused (never encoded: encoding would
 * change ids already stored), so parsing gives back the parts.
 */

type Branded<B extends string> = string & { readonly __brand: B };
/** `<kind>.<id>[.v<version>].<rule>[@<dueAt>]`, e.g. `booking.01J….v3.system.booking_cancelled.sms`. */
export type MessageId = Branded<'MessageId'>;
/** What one record change sends to delivery: `<kind>.<id>.v<version>[@<at>]`. */
export type DispatchKey = Branded<'DispatchKey'>;
/** An EventBridge Scheduler name: at most 64 of `[0-9A-Za-z_.-]`. */
export type ScheduleName = Branded<'ScheduleName'>;
/** A page of re-arming after a rules edit: `<rules item id>.v<its version>.<kind>.p<page>`. */
export type RearmJobId = Branded<'RearmJobId'>;
/** A unique value's sort key: `claim#<name>#<value>`. */
export type ClaimKey = Branded<'ClaimKey'>;
/** A remembered request's sort key: `idempotency#<operation>#<key>`. */
export type IdempotencyKey = Branded<'IdempotencyKey'>;
/** A business's SES tenant: `<prefix>-<hash of the tenant id>`, at most 64 of `[0-9A-Za-z_-]`. */
export type SesTenantName = Branded<'SesTenantName'>;

export class InvalidIdentity extends Error {
  override readonly name = 'InvalidIdentity';
}

/** What a message is about: a record, and for an event's message the version the event came from. */
export interface About {
  readonly kind: MessageEntityKind;
  readonly id: string;
  readonly version?: number;
}

export interface MessageIdParts {
  readonly about: About;
  /** The rule (`system.…`, a custom rule's id, or `manual.<type>.<key>` from the card). */
  readonly rule: string;
  /** A timed message's due time: it, not the record's version, makes the message unique. */
  readonly dueAt?: string;
}

function refuse(what: string, value: unknown, why: string): never {
  throw new InvalidIdentity(`${what} ${JSON.stringify(value)} ${why}`);
}

/** A part between separators: non-empty and free of them. */
function part(what: string, value: string, separators: string): string {
  if (value === '') refuse(what, value, 'is empty');
  for (const separator of separators) if (value.includes(separator)) refuse(what, value, `may not contain "${separator}"`);
  return value;
}

function oneOf(what: string, value: string, allowed: readonly string[]): string {
  if (!allowed.includes(value)) refuse(what, value, `is not one of ${allowed.join(', ')}`);
  return value;
}

function wholeNumber(what: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) refuse(what, value, `is not a whole number ≥ ${min}`);
  return value;
}

/** What parsing found, if building it gives the same string back: only canonical spellings (no `v03`, no unknown kind) parse. */
function canonical<T>(parts: T, build: (parts: T) => string, text: string): T | undefined {
  try {
    return build(parts) === text ? parts : undefined;
  } catch {
    return undefined;
  }
}

// A rule that began like a version would read as one where the version is left out.
const versionLike = /^v\d+\./;

function aboutOf(about: About): string {
  const head = `${oneOf('kind', about.kind, messageEntityKinds)}.${part('record id', about.id, '.@')}`;
  return about.version === undefined ? head : `${head}.v${wholeNumber('version', about.version, 0)}`;
}

const dueAtOf = (at: string | undefined): string => (at === undefined ? '' : `@${part('due time', at, '@')}`);

/** The id a message is recorded under, the same for every replay of what it is about. */
export function messageIdOf(parts: MessageIdParts): MessageId {
  const rule = part('rule id', parts.rule, '@');
  if (versionLike.test(rule)) refuse('rule id', rule, 'may not begin like a version (v<n>.)');
  return `${aboutOf(parts.about)}.${rule}${dueAtOf(parts.dueAt)}` as MessageId;
}

const messageIdPattern = /^([^.@]+)\.([^.@]+)\.(?:v(\d+)\.)?([^@]+)(?:@([^@]+))?$/;

/** The parts of a message id, or undefined for a string no `messageIdOf` could have made. */
export function parseMessageId(id: string): MessageIdParts | undefined {
  const match = messageIdPattern.exec(id);
  if (!match) return undefined;
  const [, kind, recordId, version, rule, dueAt] = match;
  const parts: MessageIdParts = {
    // The kind is checked by building the id again.
    about: { kind: kind as MessageEntityKind, id: recordId!, ...(version === undefined ? {} : { version: Number(version) }) },
    rule: rule!,
    ...(dueAt === undefined ? {} : { dueAt }),
  };
  return canonical(parts, messageIdOf, id);
}

/** Every message id about this record starts with this, so one prefix query lists them. */
export const messageIdPrefixOf = (about: Omit<About, 'version'>): string => `${aboutOf({ kind: about.kind, id: about.id })}.`;

/** The key of what one record change sends at once, or at `at` (after a delay, in business hours). */
export const dispatchKeyOf = (about: About & { readonly version: number }, at?: string): DispatchKey => `${aboutOf(about)}${dueAtOf(at)}` as DispatchKey;

/**
 * The one-time schedule's name for a message or a dispatch: deterministic, so arming it again
 * replaces it and disarming finds it; hashed to fit the 64 characters a schedule name may have.
 */
export const scheduleNameOf = (tenantId: string, key: MessageId | DispatchKey): ScheduleName =>
  `m-${createHash('sha256').update(`${tenantId}\n${key}`).digest('base64url').slice(0, 43)}` as ScheduleName;

/**
 * The SES tenant of a business: deterministic, so creating it again finds the same one; the
 * deployment's `prefix` (letters, digits, hyphens) starts it, so IAM can scope the functions to
 * their own deployment's tenants (`tenant/<prefix>-*`); hashed to fit SES's 64 characters.
 */
export function sesTenantNameOf(prefix: string, tenantId: string): SesTenantName {
  if (!/^[A-Za-z0-9-]{1,20}$/.test(prefix)) refuse('SES tenant prefix', prefix, 'must be 1-20 letters, digits or hyphens');
  return `${prefix}-${createHash('sha256').update(tenantId).digest('base64url').slice(0, 43)}` as SesTenantName;
}

export interface RearmJobParts {
  /** The rules item whose edit re-arms (a custom rule, or the settings page) and its version after the edit. */
  readonly rules: { readonly id: string; readonly version: number };
  readonly entity: TriggeringKind;
  /** From 1. */
  readonly page: number;
}

/** The same edit always makes the same jobs, so a replayed stream record writes nothing new. */
export const rearmJobIdOf = (job: RearmJobParts): RearmJobId =>
  `${part('rules id', job.rules.id, '.')}.v${wholeNumber('version', job.rules.version, 0)}.${oneOf('kind', job.entity, triggeringKinds)}.p${wholeNumber('page', job.page, 1)}` as RearmJobId;

export function parseRearmJobId(id: string): RearmJobParts | undefined {
  const match = /^([^.]+)\.v(\d+)\.([^.]+)\.p(\d+)$/.exec(id);
  if (!match) return undefined;
  return canonical({ rules: { id: match[1]!, version: Number(match[2]) }, entity: match[3] as TriggeringKind, page: Number(match[4]) }, rearmJobIdOf, id);
}

export interface ClaimParts {
  /** What is unique (`slug`, `clientEmail`, `invoice-number`). */
  readonly name: string;
  /** The value; it comes last, so any character in it is safe. */
  readonly value: string;
}

export const claimKeyOf = (claim: ClaimParts): ClaimKey => `claim#${part('claim name', claim.name, '#')}#${claim.value}` as ClaimKey;

export function parseClaimKey(key: string): ClaimParts | undefined {
  const match = /^claim#([^#]+)#(.*)$/s.exec(key);
  return match ? { name: match[1]!, value: match[2]! } : undefined;
}

export interface IdempotencyParts {
  /** The route's operation, `POST /bookings`. */
  readonly operation: string;
  /** The client's `Idempotency-Key`; it comes last, so any character in it is safe. */
  readonly key: string;
}

export const idempotencyKeyOf = (request: IdempotencyParts): IdempotencyKey =>
  `idempotency#${part('operation', request.operation, '#')}#${request.key}` as IdempotencyKey;

export function parseIdempotencyKey(key: string): IdempotencyParts | undefined {
  const match = /^idempotency#([^#]+)#(.*)$/s.exec(key);
  return match ? { operation: match[1]!, key: match[2]! } : undefined;
}

/** The business's notice that its SMS use reached a share of its budget in a month: `usage.<YYYY-MM>.sms.<percent>`, one per month and share. */
export type UsageNoticeId = Branded<'UsageNoticeId'>;
export const usageNoticeIdOf = (month: string, percent: number): UsageNoticeId => {
  if (!/^\d{4}-\d{2}$/.test(month) || !Number.isInteger(percent)) throw new InvalidIdentity(`No usage notice for ${month} at ${percent} %`);
  return `usage.${month}.sms.${percent}` as UsageNoticeId;
};
/**
 * A client made by an import: `imp-<file digest>-<line>`, from the file's content and the row's
 * line, so running the same file again (a resumed or a repeated import) names the same client and
 * its create finds it made. The digest is 20 hex digits of the file's SHA-256.
 */
export type ImportedClientId = Branded<'ImportedClientId'>;

export interface ImportedClientParts {
  readonly digest: string;
  readonly line: number;
}

export const importedClientIdOf = (parts: ImportedClientParts): ImportedClientId => {
  if (!/^[0-9a-f]{20}$/.test(parts.digest)) refuse('file digest', parts.digest, 'is not 20 hex digits');
  return `imp-${parts.digest}-${wholeNumber('line', parts.line, 1)}` as ImportedClientId;
};

export function parseImportedClientId(id: string): ImportedClientParts | undefined {
  const match = /^imp-([0-9a-f]{20})-(\d+)$/.exec(id);
  return match ? canonical({ digest: match[1]!, line: Number(match[2]) }, importedClientIdOf, id) : undefined;
}

/** The digest `importedClientIdOf` takes: of the file's bytes as uploaded. */
export const fileDigestOf = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex').slice(0, 20);
