/**
 * Delivery's claim against DynamoDB Local, through the real delivery handler and the local
 * providers (SES emulator, SMS outbox): a message left `sending` by a sender that stopped is
 * settled from the provider's evidence, taken over when the provider never took it, left alone
 * while its lease lasts; a `retrying` one is claimed again; a message whose rendering keeps failing
 * is recorded `failed` on its last receive. The evaluator is replaced by a no-op, so each request
 * is delivered only when a test invokes the handler.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createDocumentClient } from '#adapters/dynamodb/record-store.ts';
import { lambdaContext } from '../support/api-event.ts';
import { apiClient, sample, type Request } from './api-client.ts';
import { localDynamoDbClient, startApi, type MessagingApi } from './local-stack.ts';

let api: MessagingApi;
let request: Request;
let documents: DynamoDBDocumentClient;
let deliver: (event: SQSEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
const tenant = `claims-${randomUUID().slice(0, 8)}`;
let clientId: string;
let locationId: string;

beforeAll(async () => {
  api = await startApi({ messaging: { evaluator: async () => ({ batchItemFailures: [] }) } });
  request = apiClient(api, tenant);
  documents = createDocumentClient(localDynamoDbClient());
  const { handler } = await import('#lambdas/message-delivery.ts');
  deliver = async (event) => (await handler(event, lambdaContext)) as { batchItemFailures: { itemIdentifier: string }[] };
  expect((await request('PUT', '/settings', sample.settings, { 'if-match': '"0"' })).status).toBe(200);
  locationId = (await request('POST', '/locations', sample.location)).body.id;
  clientId = (await request('POST', '/clients', { ...sample.client, email: `ana-${tenant}@example.com`, phone: '+34611111111' })).body.id;
});
afterAll(async () => {
  await api.close();
  documents.destroy();
});

/** A booking of its own, and the delivery request its confirmation on `channel` would travel in. */
async function confirmation(channel: 'email' | 'sms') {
  const start = '2027-03-29T10:00:00+02:00';
  const booking = (await request('POST', '/bookings', { clientId, locationId, service: 'Corte', start, end: '2027-03-29T10:45:00+02:00' })).body;
  const id = `booking.${booking.id}.v1.system.booking_confirmation.${channel}`;
  const body = {
    tenantId: tenant,
    entity: { kind: 'booking', id: booking.id, version: 1 },
    clientId,
    locationId,
    expected: { status: 'confirmed', schedule: start },
    decidedAt: new Date().toISOString(),
    messages: [{ ruleId: `system.booking_confirmation.${channel}`, messageType: 'booking_confirmation', channel, audience: 'client', eventType: 'booking.created' }],
  };
  const receive = (receiveCount = 1): SQSEvent => ({
    Records: [{ messageId: `m-${randomUUID()}`, body: JSON.stringify(body), attributes: { ApproximateReceiveCount: String(receiveCount) } } as unknown as SQSRecord],
  });
  return { id, receive };
}

const key = (id: string) => ({ pk: `T#${tenant}`, sk: `message#${id}` });
const stored = async (id: string) => (await documents.send(new GetCommand({ TableName: api.env.tableName, Key: key(id) }))).Item;
const past = () => new Date(Date.now() - 60_000).toISOString();
/** A message a sender claimed and then stopped holding: as a killed sender leaves it. */
async function leftSending(id: string, changes: Record<string, unknown>) {
  await documents.send(
    new UpdateCommand({
      TableName: api.env.tableName,
      Key: key(id),
      UpdateExpression: `SET ${Object.keys(changes).map((name, i) => `#f${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(Object.keys(changes).map((name, i) => [`#f${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(Object.values(changes).map((value, i) => [`:v${i}`, value])),
    }),
  );
}
/** A claim written before the provider was called, by a sender that died then. */
async function claimedThenDied(id: string, channel: 'email' | 'sms', status: 'sending' | 'retrying', leaseUntil: string) {
  const at = new Date(Date.now() - 120_000).toISOString();
  await documents.send(
    new PutCommand({
      TableName: api.env.tableName,
      Item: {
        ...key(id),
        kind: 'message',
        tenantId: tenant,
        id,
        clientId,
        direction: 'outbound',
        channel,
        messageType: 'booking_confirmation',
        audience: 'client',
        status,
        attempts: 1,
        createdAt: at,
        updatedAt: at,
        leaseUntil,
        gsi2pk: `T#${tenant}#client#${clientId}`,
        gsi2sk: `message#${at}#${id}`,
      },
    }),
  );
}
const emailsFor = async (id: string) =>
  (await api.sentEmails()).filter((email) => email.headers?.some((header) => header.value === `${tenant}/${id}`));

describe('delivery’s claim, against DynamoDB Local', () => {
  it('settles an email its sender left sending after SES took it, from the SES store: sent, not sent again', async () => {
    const { id, receive } = await confirmation('email');
    expect((await deliver(receive(1))).batchItemFailures).toEqual([]);
    expect(await emailsFor(id)).toHaveLength(1);
    // As if the sender died right after SES answered: the `sent` never written.
    await leftSending(id, { status: 'sending', leaseUntil: past() });
    expect((await deliver(receive(2))).batchItemFailures).toEqual([]);
    expect(await emailsFor(id)).toHaveLength(1);
    expect(await stored(id)).toMatchObject({ status: 'sent', settledBy: 'evidence' });
  });

  it('takes over an SMS whose sender died before calling the provider, and sends it once', async () => {
    const { id, receive } = await confirmation('sms');
    await claimedThenDied(id, 'sms', 'sending', past());
    expect((await deliver(receive(2))).batchItemFailures).toEqual([]);
    const item = await stored(id);
    expect(item).toMatchObject({ status: 'sent' });
    expect(item).not.toHaveProperty('settledBy');
    expect((await api.sentSms()).filter((sms) => item!.providerMessageId === sms.id)).toHaveLength(1);
  });

  it('leaves a message alone while another sender’s lease lasts, then settles it when the lease has passed', async () => {
    const { id, receive } = await confirmation('email');
    await claimedThenDied(id, 'email', 'sending', new Date(Date.now() + 60_000).toISOString());
    expect((await deliver(receive(1))).batchItemFailures).toHaveLength(1);
    expect(await emailsFor(id)).toHaveLength(0);
    expect(await stored(id)).toMatchObject({ status: 'sending' });

    await leftSending(id, { leaseUntil: past() });
    expect((await deliver(receive(2))).batchItemFailures).toEqual([]);
    expect(await emailsFor(id)).toHaveLength(1);
    expect(await stored(id)).toMatchObject({ status: 'sent' });
  });

  it('claims a retrying message again and sends it', async () => {
    const { id, receive } = await confirmation('email');
    await claimedThenDied(id, 'email', 'retrying', past());
    expect((await deliver(receive(2))).batchItemFailures).toEqual([]);
    expect(await emailsFor(id)).toHaveLength(1);
    expect(await stored(id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('records a message whose rendering keeps failing as failed on its last receive, before it goes to the dead-letter queue', async () => {
    const { id, receive } = await confirmation('email');
    // A stored template that only fails when rendered (an unknown filter), as saving would have refused.
    await documents.send(
      new PutCommand({
        TableName: api.env.tableName,
        Item: { pk: `T#${tenant}`, sk: 'template#booking_confirmation.email', kind: 'template', tenantId: tenant, id: 'booking_confirmation.email', version: 1, messageType: 'booking_confirmation', channel: 'email', languages: { es: { subject: 'Hola', text: '{{ client.firstName | no_such_filter }}' } }, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' },
      }),
    );
    try {
      expect((await deliver(receive(1))).batchItemFailures).toHaveLength(1);
      expect(await stored(id)).toBeUndefined();
      expect((await deliver(receive(5))).batchItemFailures).toHaveLength(1);
      expect(await stored(id)).toMatchObject({ status: 'failed', reason: expect.stringContaining('failed: ') });
      expect(await emailsFor(id)).toHaveLength(0);
    } finally {
      await documents.send(new DeleteCommand({ TableName: api.env.tableName, Key: { pk: `T#${tenant}`, sk: 'template#booking_confirmation.email' } }));
    }
  });
});
