import { afterAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { createDocumentClient, dynamoRecordStore } from '#adapters/dynamodb/record-store.ts';
import { DomainError } from '#domain/errors.ts';
import type { RecordMeta } from '#domain/record.ts';
import type { RecordOf } from '#domain/record-kinds.ts';
import { defaultSettings } from '#domain/settings.ts';
import { localDynamoDbClient, useLocalStackEnv } from './local-stack.ts';

/** The store port's multi-record writes, claim lookups and id-prefix lists, on DynamoDB Local. */

const { tableName } = useLocalStackEnv();
const dynamoDb = localDynamoDbClient();
const store = dynamoRecordStore(createDocumentClient(dynamoDb), tableName);
afterAll(() => dynamoDb.destroy());

const at = '2026-11-23T10:00:00.000Z';
const meta = (id: string): RecordMeta => ({ id, version: 1, createdAt: at, updatedAt: at });
/** Records as the API stores them: every field their kind's schema requires. */
const client = (id: string): RecordOf<'client'> => ({ ...meta(id), firstName: 'Ana', consent: { email: true, sms: false }, status: 'active', customFields: {} });
const lead = (id: string, clientId: string): RecordOf<'lead'> => ({ ...meta(id), clientId, source: 'web', status: 'New' });
const booking = (id: string, status: RecordOf<'booking'>['status']): RecordOf<'booking'> => ({
  ...meta(id),
  clientId: 'c1',
  locationId: 'l1',
  service: 'Corte',
  start: '2026-11-30T10:00:00+01:00',
  end: '2026-11-30T10:30:00+01:00',
  status,
});
const orderEvent = (id: string): RecordOf<'orderEvent'> => ({ ...meta(id), orderId: id.split('.')[0]!, orderVersion: 1, change: { type: 'created', at, status: 'New', scheduledAt: null } });
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as DomainError);

describe('record store', () => {
  it('writes companion records in the same transaction, or none of them', async () => {
    const tenant = `t-${ulid()}`;
    await store.put(tenant, 'client', client('c1'), { expected: 'absent', alsoPut: [{ kind: 'lead', record: lead('l1', 'c1'), expected: 'absent' }] });
    expect((await store.get(tenant, 'lead', 'l1'))?.clientId).toBe('c1');

    // The companion's condition fails (l1 exists): the main record is not written either.
    const error = await failure(
      store.put(tenant, 'client', client('c2'), { expected: 'absent', alsoPut: [{ kind: 'lead', record: lead('l1', 'c2'), expected: 'absent' }] }),
    );
    expect(error?.code).toBe('version_mismatch');
    expect(error?.message).toContain('lead l1 was changed by someone else; it is now at version 1');
    expect(await store.get(tenant, 'client', 'c2')).toBeUndefined();

    // A companion updated under its version.
    await store.put(tenant, 'client', client('c3'), { expected: 'absent', alsoPut: [{ kind: 'lead', record: { ...lead('l1', 'c3'), version: 2 }, expected: 1 }] });
    expect(await store.get(tenant, 'lead', 'l1')).toMatchObject({ version: 2, clientId: 'c3' });
  });

  it('names the current version when a single write’s expected version is stale (put and delete)', async () => {
    const tenant = `t-${ulid()}`;
    await store.put(tenant, 'booking', booking('b1', 'confirmed'), { expected: 'absent' });
    await store.put(tenant, 'booking', { ...booking('b1', 'confirmed'), version: 2 }, { expected: 1 });
    const put = await failure(store.put(tenant, 'booking', { ...booking('b1', 'confirmed'), version: 2 }, { expected: 1 }));
    expect(put).toMatchObject({ code: 'version_mismatch', details: { kind: 'booking', id: 'b1', currentVersion: 2 } });
    const removed = await failure(store.remove(tenant, 'booking', 'b1', { expected: 1 }));
    expect(removed).toMatchObject({ code: 'version_mismatch', details: { kind: 'booking', id: 'b1', currentVersion: 2 } });
  });

  it('tells who holds a unique value, per tenant and across tenants', async () => {
    const [tenant, other] = [`t-${ulid()}`, `t-${ulid()}`];
    const email = { scope: 'tenant' as const, name: 'clientEmail', field: 'email', value: `${ulid()}@example.com` };
    await store.put(tenant, 'client', client('c1'), { expected: 'absent', claims: [email] });
    expect(await store.claimOwner(tenant, email)).toEqual({ tenantId: tenant, kind: 'client', id: 'c1' });
    expect(await store.claimOwner(other, email)).toBeUndefined();

    const slug = { scope: 'global' as const, name: 'slug', field: 'slug', value: `s-${ulid().toLowerCase()}` };
    await store.put(tenant, 'settings', { ...defaultSettings, ...meta('current') }, { expected: 'absent', claims: [slug] });
    expect(await store.claimOwner(other, slug)).toEqual({ tenantId: tenant, kind: 'settings', id: 'current' });
  });

  it('lists the records whose field has any of several values, topping up a page the filter thins out', async () => {
    const tenant = `t-${ulid()}`;
    const statuses = ['cancelled', 'pending', 'rejected', 'confirmed', 'cancelled', 'confirmed'] as const;
    for (const [i, status] of statuses.entries()) await store.put(tenant, 'booking', booking(`b${i}`, status), { expected: 'absent' });
    const open = await store.list(tenant, 'booking', { order: { by: 'created' }, where: { status: ['pending', 'confirmed'] }, limit: 3 });
    expect(open.items.map((item) => item.id)).toEqual(['b1', 'b3', 'b5']);
  });

  it('lists the records whose id starts with a prefix, in id order, page by page', async () => {
    const tenant = `t-${ulid()}`;
    for (const id of ['o1.0002', 'o1.0001', 'o10.0001', 'o1.0003', 'o2.0001']) await store.put(tenant, 'orderEvent', orderEvent(id), { expected: 'absent' });
    const first = await store.list(tenant, 'orderEvent', { order: { by: 'id', prefix: 'o1.' }, limit: 2 });
    expect(first.items.map((item) => item.id)).toEqual(['o1.0001', 'o1.0002']);
    const second = await store.list(tenant, 'orderEvent', { order: { by: 'id', prefix: 'o1.' }, limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((item) => item.id)).toEqual(['o1.0003']);
    const newest = await store.list(tenant, 'orderEvent', { order: { by: 'id', prefix: 'o1.', newestFirst: true }, limit: 5 });
    expect(newest.items.map((item) => item.id)).toEqual(['o1.0003', 'o1.0002', 'o1.0001']);
  });
});
