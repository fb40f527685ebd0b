import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeEvent } from 'aws-lambda';
import { createDocumentClient } from '#adapters/dynamodb/record-store.ts';
import { emailTagsFor } from '#adapters/ses/message-tags.ts';
import { lambdaContext } from '../support/api-event.ts';
import { sesEvent } from '../support/ses-events.ts';
import { localDynamoDbClient, useLocalStackEnv } from './local-stack.ts';

/** SES events reaching the email-events handler settle message records on DynamoDB Local. */

const { tableName } = useLocalStackEnv();
const client = localDynamoDbClient();
const documents = createDocumentClient(client);
let handler: (typeof import('#lambdas/email-events.ts'))['handler'];
beforeAll(async () => {
  ({ handler } = await import('#lambdas/email-events.ts'));
});
afterAll(() => client.destroy());

const messageType = 'booking_confirmation';
/** A message as delivery writes it before calling SES: status `sending`, with its lease. */
async function putMessage(tenantId: string, id: string, fields: Record<string, unknown> = {}) {
  await documents.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        pk: `T#${tenantId}`,
        sk: `message#${id}`,
        gsi2pk: `T#${tenantId}#client#C1`,
        gsi2sk: `message#2026-03-01T10:00:00.000Z#${id}`,
        kind: 'message',
        tenantId,
        id,
        clientId: 'C1',
        direction: 'outbound',
        channel: 'email',
        messageType,
        audience: 'client',
        to: 'ana@example.com',
        status: 'sending',
        attempts: 1,
        createdAt: '2026-03-01T10:00:00.000Z',
        updatedAt: '2026-03-01T10:00:00.000Z',
        leaseUntil: '2026-03-01T10:01:00.000Z',
        ...fields,
      },
    }),
  );
}
const getMessage = async (tenantId: string, id: string) =>
  (await documents.send(new GetCommand({ TableName: tableName, Key: { pk: `T#${tenantId}`, sk: `message#${id}` }, ConsistentRead: true }))).Item;
const tagsOf = (tenantId: string, messageId: string) =>
  Object.fromEntries(emailTagsFor({ tenantId, messageId, messageType }).map((tag) => [tag.Name!, [tag.Value!]]));
const deliver = (event: unknown) => handler(event as EventBridgeEvent<string, unknown>, lambdaContext);
const fresh = () => ({ tenantId: `t-${ulid()}`, messageId: `booking.${ulid()}.v1.system.booking_confirmation.email` });

describe('SES email events on DynamoDB Local', () => {
  it('settle a message whose sender died after SES took it: sent, with SES\'s message id and time', async () => {
    const { tenantId, messageId } = fresh();
    await putMessage(tenantId, messageId);
    await deliver(sesEvent('Send', tagsOf(tenantId, messageId), { messageId: 'ses-0102018e', timestamp: '2026-03-01T10:00:00.123Z' }));
    const settled = await getMessage(tenantId, messageId);
    expect(settled).toMatchObject({ status: 'sent', providerMessageId: 'ses-0102018e', sentAt: '2026-03-01T10:00:00.123Z', settledBy: 'ses_event', providerAccepted: true });

    // EventBridge delivers at least once: the same event again changes nothing.
    await deliver(sesEvent('Send', tagsOf(tenantId, messageId), { messageId: 'ses-0102018e', timestamp: '2026-03-01T10:00:00.123Z' }));
    expect(await getMessage(tenantId, messageId)).toEqual(settled);
  });

  it('keep the status delivery recorded, marking only that SES accepted the email', async () => {
    const { tenantId, messageId } = fresh();
    await putMessage(tenantId, messageId, { status: 'retrying', reason: 'failed: TimeoutError: socket hang up' });
    await deliver(sesEvent('Send', tagsOf(tenantId, messageId), { messageId: 'ses-late' }));
    const marked = await getMessage(tenantId, messageId);
    expect(marked).toMatchObject({ status: 'retrying', providerAccepted: true, providerMessageId: 'ses-late', updatedAt: '2026-03-01T10:00:00.000Z' });
    await deliver(sesEvent('Send', tagsOf(tenantId, messageId), { messageId: 'ses-late' }));
    expect(await getMessage(tenantId, messageId)).toEqual(marked);

    const sent = fresh();
    await putMessage(sent.tenantId, sent.messageId, { status: 'sent', providerMessageId: 'ses-own', sentAt: '2026-03-01T10:00:00.500Z' });
    await deliver(sesEvent('Send', tagsOf(sent.tenantId, sent.messageId), { messageId: 'ses-own' }));
    expect(await getMessage(sent.tenantId, sent.messageId)).toMatchObject({ status: 'sent', providerMessageId: 'ses-own', sentAt: '2026-03-01T10:00:00.500Z', providerAccepted: true });
  });

  it('reject a message still sending on a Reject event, and create none for an email that is not on record', async () => {
    const { tenantId, messageId } = fresh();
    await putMessage(tenantId, messageId);
    await deliver(sesEvent('Reject', tagsOf(tenantId, messageId)));
    expect(await getMessage(tenantId, messageId)).toMatchObject({ status: 'rejected', reason: 'rejected: Bad content' });

    const stranger = fresh();
    await deliver(sesEvent('Send', tagsOf(stranger.tenantId, stranger.messageId)));
    await deliver(sesEvent('Reject', tagsOf(stranger.tenantId, stranger.messageId)));
    expect(await getMessage(stranger.tenantId, stranger.messageId)).toBeUndefined();
  });

  it('move a message only forward, whatever order the events come in and however often: a late delay or a repeat changes nothing', async () => {
    const { tenantId, messageId } = fresh();
    await putMessage(tenantId, messageId, { status: 'sent', providerMessageId: 'ses-own', sentAt: '2026-03-01T10:00:00.500Z' });
    const tags = tagsOf(tenantId, messageId);
    await deliver(sesEvent('Delivery', tags));
    const delivered = await getMessage(tenantId, messageId);
    expect(delivered).toMatchObject({ status: 'delivered', providerAccepted: true, deliveryEvents: [{ type: 'Delivery', at: '2026-03-01T10:00:01.912Z' }] });
    await deliver(sesEvent('Delivery', tags));
    expect(await getMessage(tenantId, messageId)).toEqual(delivered);
    await deliver(sesEvent('DeliveryDelay', tags));
    const late = await getMessage(tenantId, messageId);
    expect(late).toMatchObject({ status: 'delivered' });
    expect((late as { deliveryEvents: { type: string }[] }).deliveryEvents.map((event) => event.type)).toEqual(['Delivery', 'DeliveryDelay']);
    await deliver(sesEvent('DeliveryDelay', tags));
    await deliver(sesEvent('Send', tags));
    await deliver(sesEvent('Send', tags));
    const after = await getMessage(tenantId, messageId);
    expect(after).toMatchObject({ status: 'delivered', providerMessageId: 'ses-own' });
    expect((after as { deliveryEvents: unknown[] }).deliveryEvents).toHaveLength(3);
    await deliver(sesEvent('Bounce', tags));
    expect(await getMessage(tenantId, messageId)).toMatchObject({ status: 'bounced', reason: 'bounced: Permanent/General' });
  });
});
