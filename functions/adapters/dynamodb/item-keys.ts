import { claimKeyOf, idempotencyKeyOf } from '#domain/identities.ts';
import { sortableInstant } from '#domain/values.ts';
import type { ListOrder, UniqueClaim } from '#domain/record-store.ts';

/**
 * How records map to the single table's keys. Every key starts with the tenant, so no query can
 * reach another tenant's items.
 *
 *   item            pk            sk               gsi1pk (ByTime)   gsi1sk        gsi2pk (ByClient)       gsi2sk
 *   record          T#<t>         <kind>#<id>      T#<t>#<kind>      <time>#<id>   T#<t>#client#<clientId> <kind>#<time>#<id>
 *   tenant claim    T#<t>         claim#<n>#<v>
 *   global claim    claim#<n>#<v> claim
 *   idempotency     T#<t>         idempotency#<METHOD> <route>#<key>
 *   reference count T#<t>         refs#<kind>#<id>   (a number per holding kind, and total)
 *   search entry    T#<t>         search#<kind>#<term>#<id>   (term, ownerId)
 */

/** The attribute that orders each kind in time; kinds without one are listed by creation. */
const timeAttribute: Readonly<Record<string, string>> = {
  booking: 'start',
  order: 'scheduledAt',
  invoice: 'dueDate',
  estimate: 'expiresOn',
  // Notifications are listed newest first, by when they were made.
  notification: 'createdAt',
};

export const keyAttributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'] as const;
/** The API request that last wrote a record (functions/correlation.ts): beside the record, never part of it. */
export const correlationAttribute = 'correlationId';
/** What an item holds besides its record: keys, kind, tenant and correlation id. */
export const itemOnlyAttributes = [...keyAttributes, 'kind', 'tenantId', correlationAttribute] as const;

export const tenantPartition = (tenantId: string): string => `T#${tenantId}`;
export const recordKey = (tenantId: string, kind: string, id: string) => ({ pk: tenantPartition(tenantId), sk: `${kind}#${id}` });

function timeOf(kind: string, record: Record<string, unknown>): string | undefined {
  const attribute = timeAttribute[kind];
  const value = attribute ? record[attribute] : undefined;
  if (typeof value !== 'string') return undefined;
  return value.length === 10 ? value : sortableInstant(value);
}

/** The key attributes of a record's item, index keys included where the record has the data. */
export function itemKeys(tenantId: string, kind: string, record: Record<string, unknown> & { id: string; createdAt: string }): Record<string, string> {
  const keys: Record<string, string> = recordKey(tenantId, kind, record.id);
  const time = timeOf(kind, record);
  if (time !== undefined) {
    keys.gsi1pk = `${tenantPartition(tenantId)}#${kind}`;
    keys.gsi1sk = `${time}#${record.id}`;
  }
  if (typeof record.clientId === 'string') {
    keys.gsi2pk = `${tenantPartition(tenantId)}#client#${record.clientId}`;
    keys.gsi2sk = `${kind}#${time ?? record.createdAt}#${record.id}`;
  }
  return keys;
}

/** A search entry: one per search term of a searchable record (a client's names, email, phone), `<term>` normalized and without `#`. */
export const searchEntryKey = (tenantId: string, kind: string, term: string, id: string) => ({ pk: tenantPartition(tenantId), sk: `search#${kind}#${term}#${id}` });
export const searchPrefixKey = (kind: string, prefix: string): string => `search#${kind}#${prefix}`;

/** The item counting a record's holders (a location's bookings and orders): one number per holding kind, and `total`. */
export const referenceCountKey = (tenantId: string, kind: string, id: string) => ({ pk: tenantPartition(tenantId), sk: `refs#${kind}#${id}` });

/** The key patterns (IAM StringLike) of a tenant's items, the table's and its indexes' partitions: `T#<t>` and `T#<t>#…`. */
export const tenantKeyPatterns = (tenantId: string): string[] => [tenantPartition(tenantId), `${tenantPartition(tenantId)}#*`];
/** The key pattern (IAM StringLike) of every global claim of one name: `claim#<name>#*`. */
export const globalClaimPattern = (claim: Pick<UniqueClaim, 'name'>): string => claimKeyOf({ name: claim.name, value: '*' });

export function claimKey(tenantId: string, claim: UniqueClaim) {
  const key = claimKeyOf(claim);
  return claim.scope === 'tenant' ? { pk: tenantPartition(tenantId), sk: key } : { pk: key, sk: 'claim' };
}

/** A remembered request, by operation (`POST /bookings`) and the client's key. */
export const idempotencyItemKey = (tenantId: string, operation: string, key: string) => ({ pk: tenantPartition(tenantId), sk: idempotencyKeyOf({ operation, key }) });

export interface KeyCondition {
  readonly index?: 'ByTime' | 'ByClient';
  readonly partitionAttribute: string;
  readonly partitionValue: string;
  readonly expression: string;
  readonly values: Record<string, string>;
}

/** The key condition of a list query; ranges are [from, to). */
export function listCondition(tenantId: string, kind: string, order: ListOrder): KeyCondition {
  const tenant = tenantPartition(tenantId);
  switch (order.by) {
    case 'created':
      return listCondition(tenantId, kind, { by: 'id', prefix: '' });
    case 'time':
      return rangeCondition('ByTime', 'gsi1pk', 'gsi1sk', `${tenant}#${kind}`, '', order.from, order.to);
    case 'client':
      return rangeCondition('ByClient', 'gsi2pk', 'gsi2sk', `${tenant}#client#${order.clientId}`, `${kind}#`, order.from, order.to);
    case 'id':
      return { partitionAttribute: 'pk', partitionValue: tenant, expression: 'pk = :pk AND begins_with(sk, :prefix)', values: { ':pk': tenant, ':prefix': `${kind}#${order.prefix}` } };
  }
}

function rangeCondition(
  index: 'ByTime' | 'ByClient',
  partitionAttribute: string,
  sortAttribute: string,
  partitionValue: string,
  prefix: string,
  from: string | undefined,
  to: string | undefined,
): KeyCondition {
  const values: Record<string, string> = { ':pk': partitionValue };
  const head = `${partitionAttribute} = :pk`;
  // A sort key `<time>#<id>` sorts after `<time>` itself, so `from` is included and `to` is not.
  // All of a client's kinds share its partition: a range open at one end stops at the kind's prefix.
  const closeAtPrefix = prefix !== '' && (from !== undefined || to !== undefined);
  const lower = from !== undefined ? `${prefix}${bound(from)}` : closeAtPrefix ? prefix : undefined;
  const upper = to !== undefined ? `${prefix}${bound(to)}` : closeAtPrefix ? `${prefix}\uffff` : undefined;
  if (lower !== undefined && upper !== undefined) {
    Object.assign(values, { ':lower': lower, ':upper': upper });
    return { index, partitionAttribute, partitionValue, expression: `${head} AND ${sortAttribute} BETWEEN :lower AND :upper`, values };
  }
  if (lower !== undefined) {
    values[':lower'] = lower;
    return { index, partitionAttribute, partitionValue, expression: `${head} AND ${sortAttribute} >= :lower`, values };
  }
  if (upper !== undefined) {
    values[':upper'] = upper;
    return { index, partitionAttribute, partitionValue, expression: `${head} AND ${sortAttribute} < :upper`, values };
  }
  if (prefix === '') return { index, partitionAttribute, partitionValue, expression: head, values };
  values[':prefix'] = prefix;
  return { index, partitionAttribute, partitionValue, expression: `${head} AND begins_with(${sortAttribute}, :prefix)`, values };
}

const bound = (time: string): string => (time.length === 10 ? time : sortableInstant(time));
