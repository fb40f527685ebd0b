import type { RecordMeta } from '#domain/record.ts';
import { DomainError } from '#domain/errors.ts';
import type { IdempotencyRecord } from '#domain/idempotency.ts';
import type { RecordKind, RecordOf } from '#domain/record-kinds.ts';

/** The store port: what the API needs from persistence, whatever holds the records. */

/** A record of any kind, for code that handles every kind alike (the generic record routes). */
export type StoredRecord = RecordMeta & Record<string, unknown>;

/** A record that must exist for a write to go through (a booking's client, say). */
export interface RecordRef {
  readonly kind: RecordKind;
  readonly id: string;
  /** The request field that named it, for the error message. */
  readonly field: string;
  /**
   * The kind of the record that holds the reference, when the referenced record keeps count of who
   * uses it (a location, of its bookings and orders): the write adds one to that count in its
   * transaction, and the referenced record cannot be deleted while any count is above zero.
   */
  readonly heldBy?: RecordKind;
  /** An archived record (status `archived`) fails the write with `archived`: an archived client gets nothing new. */
  readonly notArchived?: true;
}

/** A value that only one record may hold: per tenant (invoice numbers) or across tenants (public slugs). */
export interface UniqueClaim {
  readonly scope: 'tenant' | 'global';
  /** What is unique, as the claim's key names it (`clientEmail`, `invoice-number`, `slug`); internal. */
  readonly name: string;
  readonly value: string;
  /**
   * The body field the value comes from (`email`, `number`, `slug`): what a 409 `duplicate` names in
   * `details.field`, so the caller can point at the field it sent. The one place a claim meets the API.
   */
  readonly field: string;
  /** The message when another record holds the value; `<field> <value> is already taken` by default. */
  readonly taken?: string;
}

const claimId = (claim: UniqueClaim): string => `${claim.scope}#${claim.name}#${claim.value}`;

/** What a write claims anew and what it lets go, given the record's claims before and after. */
export function claimChanges(before: readonly UniqueClaim[], after: readonly UniqueClaim[]) {
  const had = new Set(before.map(claimId));
  const has = new Set(after.map(claimId));
  return { claims: after.filter((claim) => !had.has(claimId(claim))), releases: before.filter((claim) => !has.has(claimId(claim))) };
}

export interface WriteOptions {
  /** The version the stored record must have now, or 'absent' to create it. */
  readonly expected: number | 'absent';
  readonly references?: readonly RecordRef[];
  /** Claimed atomically with the write; a value already held fails it with `duplicate`. */
  readonly claims?: readonly UniqueClaim[];
  /** Released atomically with the write. */
  readonly releases?: readonly UniqueClaim[];
  /** Counted references the write lets go (a booking moved to another location): each count goes down by one. */
  readonly dropsReferences?: readonly RecordRef[];
  /**
   * The record as read before this write (a patch's current version): search entries of terms it
   * had and the new version has not are deleted in the transaction. Entries of the new version's
   * terms are always written with it.
   */
  readonly replaces?: Readonly<Record<string, unknown>>;
  /** Other records written in the same transaction, each under its own condition (a lead with its client). */
  readonly alsoPut?: readonly CompanionWrite[];
  /**
   * The request's idempotency key and answer, written in the same transaction, so the key and the
   * record exist together or not at all. A key already held fails the write with `IdempotencyKeyHeld`.
   */
  readonly remember?: IdempotencyRecord;
}

/** A record written with another, of any kind: its kind and a record of that kind. */
export type CompanionWrite = {
  readonly [K in RecordKind]: { readonly kind: K; readonly record: RecordOf<K>; readonly expected: number | 'absent' };
}[RecordKind];

/** Records read together (`getMany`), each by its kind and id. */
export interface RecordSet {
  get<K extends RecordKind>(kind: K, id: string): RecordOf<K> | undefined;
}

/** Who holds a unique value: the record that claimed it, and its tenant (a global claim names any tenant). */
export interface ClaimOwner {
  readonly tenantId: string;
  readonly kind: string;
  readonly id: string;
}

export interface RemoveOptions {
  readonly expected?: number;
  readonly releases?: readonly UniqueClaim[];
  /** Counted references the removed record held (an order's location): their counts go down by one. */
  readonly dropsReferences?: readonly RecordRef[];
  /** The record as last read, so what is written with it (its search entries) goes with it. */
  readonly record?: Readonly<Record<string, unknown>>;
  /** Fails with `in_use` (details.references counts the holders by kind) while records reference this one. */
  readonly unreferenced?: true;
}

export type ListOrder = (
  | { readonly by: 'created' }
  | { readonly by: 'time'; readonly from?: string; readonly to?: string }
  | { readonly by: 'client'; readonly clientId: string; readonly from?: string; readonly to?: string }
  /** Records whose id starts with `prefix`, in id order (an order's events, the messages about one record). */
  | { readonly by: 'id'; readonly prefix: string }
) & {
  /** Descending: the newest (latest created, or latest time) first. */
  readonly newestFirst?: boolean;
};

export interface ListQuery {
  readonly order: ListOrder;
  /** Only records whose fields equal these values (a status, a read flag); a list means any of its values. */
  readonly where?: Readonly<Record<string, string | boolean | readonly string[]>>;
  readonly limit: number;
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export interface RecordStore {
  /** Every read parses the stored document with its kind's schema; one that does not match fails with `MalformedRecord`. */
  get<K extends RecordKind>(tenantId: string, kind: K, id: string): Promise<RecordOf<K> | undefined>;
  /** Several records in one read; missing ones are absent from the set. */
  getMany(tenantId: string, refs: readonly { readonly kind: RecordKind; readonly id: string }[]): Promise<RecordSet>;
  /**
   * Fails with `not_found`, `version_mismatch`, `validation_failed` (a record it references does not
   * exist; the issue names the field), `archived` (a reference that must not be archived is), `duplicate` (a unique value another record holds), `conflict`
   * (a value it releases is another record's) or `transaction_conflict` (a concurrent write; try again).
   */
  put<K extends RecordKind>(tenantId: string, kind: K, record: RecordOf<K>, options: WriteOptions): Promise<void>;
  remove(tenantId: string, kind: RecordKind, id: string, options: RemoveOptions): Promise<void>;
  list<K extends RecordKind>(tenantId: string, kind: K, query: ListQuery): Promise<Page<RecordOf<K>>>;
  /**
   * Records of a searchable kind (clients) with a search term starting with `prefix` (normalized,
   * see `searchPrefixOf`), each once, ordered by the term that matched; from search entries, never a scan.
   */
  search<K extends RecordKind>(tenantId: string, kind: K, prefix: string, page: { readonly limit: number; readonly cursor?: string }): Promise<Page<RecordOf<K>>>;
  /** The record holding a unique value, if any holds it. */
  claimOwner(tenantId: string, claim: UniqueClaim): Promise<ClaimOwner | undefined>;
  /** Whether any record (booking, invoice, …) belongs to the client. */
  clientHasRecords(tenantId: string, clientId: string): Promise<boolean>;
  /** The request remembered under an idempotency key of the operation, expired or not (strongly consistent). */
  recall(tenantId: string, operation: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Remembers a request that writes no record of its own; fails with `IdempotencyKeyHeld` when the key is held. */
  remember(tenantId: string, record: IdempotencyRecord): Promise<void>;
}

export const refKey = (kind: string, id: string): string => `${kind}#${id}`;

/** Creates a record unless one of its id exists (a replay made it first); resolves whether it did. */
export async function createOnce<K extends RecordKind>(store: RecordStore, tenantId: string, kind: K, record: RecordOf<K>): Promise<boolean> {
  try {
    await store.put(tenantId, kind, record, { expected: 'absent' });
    return true;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'version_mismatch') return false;
    throw error;
  }
}
