import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, dynamoRecordStore } from '#adapters/dynamodb/record-store.ts';
import { MalformedRecord } from '#domain/record-kinds.ts';
import { defaultAutomatedMessages } from '#domain/messages/rules.ts';
import { defaultSettings } from '#domain/settings.ts';
import { localDynamoDbClient, startApi, type LocalApi } from './local-stack.ts';
import { apiClient } from './api-client.ts';

/**
 * What the store makes of items already in the table, written raw as an older release (or a hand
 * edit) left them: every read parses with the kind's schema, the settings documents with their
 * defaults at every depth, and an item that does not parse fails loudly, never half-read.
 */
let api: LocalApi;
const dynamoDb = localDynamoDbClient();
const documents = createDocumentClient(dynamoDb);
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api?.close();
  dynamoDb.destroy();
});

const at = '2026-11-23T10:00:00.000Z';
const putRaw = (tenant: string, kind: string, item: Record<string, unknown>) =>
  documents.send(new PutCommand({ TableName: api.env.tableName, Item: { pk: `T#${tenant}`, sk: `${kind}#${String(item.id)}`, kind, tenantId: tenant, ...item } }));
const store = () => dynamoRecordStore(documents, api.env.tableName);
const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('a settings document stored before a field existed', () => {
  it('reads the settings page with the nested fields it lacks at their defaults, keeping what it has', async () => {
    const tenant = `stored-${ulid()}`;
    // Saved before follow-ups had `sms` and `businessHoursOnly`, before the contact form had an auto-reply, and before estimate expiry existed.
    await putRaw(tenant, 'ruleSettings', {
      id: 'current',
      version: 3,
      createdAt: at,
      updatedAt: at,
      bookingConfirmation: { sms: true },
      bookingStatus: defaultAutomatedMessages.bookingStatus,
      newInvoice: { sms: false },
      newEstimate: { sms: false },
      autoReplies: { message: { enabled: true, text: 'Gracias' }, document: { enabled: false } },
      followUp: { mode: 'manual', after: { amount: 2, unit: 'hours' } },
    });
    const page = await store().get(tenant, 'ruleSettings', 'current');
    expect(page).toMatchObject({
      version: 3,
      bookingConfirmation: { sms: true },
      autoReplies: { message: { enabled: true, text: 'Gracias' }, document: { enabled: false }, contactForm: { enabled: false } },
      followUp: { mode: 'manual', after: { amount: 2, unit: 'hours' }, sms: false, businessHoursOnly: false },
      estimateExpiry: defaultAutomatedMessages.estimateExpiry,
      bookingReminders: [],
    });
  });

  it('reads the business settings with the fields they lack at their defaults, through the store and the API', async () => {
    const tenant = `stored-${ulid()}`;
    // Saved before lead statuses existed.
    await putRaw(tenant, 'settings', { id: 'current', version: 2, createdAt: at, updatedAt: at, businessName: 'Salón Lucía', timeZone: 'Europe/Madrid', defaultLanguage: 'es', bookingApproval: 'manual', orderStatuses: ['Nuevo'] });
    expect(await store().get(tenant, 'settings', 'current')).toMatchObject({ businessName: 'Salón Lucía', orderStatuses: ['Nuevo'], leadStatuses: defaultSettings.leadStatuses, version: 2 });
    const read = await apiClient(api, tenant)('GET', '/settings');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ businessName: 'Salón Lucía', bookingApproval: 'manual', leadStatuses: defaultSettings.leadStatuses, version: 2 });
  });
});

describe('a stored item that does not match its schema', () => {
  const malformedClient = { id: 'c1', version: 1, createdAt: at, updatedAt: at, firstName: 'Ana', consent: 'yes', status: 'active', customFields: {} };

  it('fails the read with MalformedRecord, naming the record and what is wrong', async () => {
    const tenant = `stored-${ulid()}`;
    await putRaw(tenant, 'client', malformedClient);
    const error = await rejection(store().get(tenant, 'client', 'c1'));
    expect(error).toBeInstanceOf(MalformedRecord);
    expect(error).toMatchObject({ kind: 'client', id: 'c1', issues: [expect.objectContaining({ path: ['consent'] })] });
    expect((error as MalformedRecord).message).toMatch(/^Stored client c1 does not match its schema: .*at consent/);
    // A list fails the same way: a page is never returned with a record left out or half-read.
    expect(await rejection(store().list(tenant, 'client', { order: { by: 'created' }, limit: 10 }))).toBeInstanceOf(MalformedRecord);
  });

  it('answers the API request with the generic 500, not the details', async () => {
    const tenant = `stored-${ulid()}`;
    await putRaw(tenant, 'client', malformedClient);
    const read = await apiClient(api, tenant)('GET', '/clients/c1');
    expect(read.status).toBe(500);
    expect(read.body).toEqual({ error: { code: 'internal_error', message: expect.stringMatching(/^Something went wrong on our side; quote request \S+ if it persists$/) } });
    // Whole words: the random request id in the message may hold the letters "c1".
    expect(JSON.stringify(read.body)).not.toMatch(/consent|schema|\bc1\b/);
  });
});
