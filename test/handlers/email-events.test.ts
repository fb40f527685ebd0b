import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { EventBridgeEvent } from 'aws-lambda';
import { sesEmailSender } from '#adapters/ses/email-sender.ts';
import { emailTagsFor } from '#adapters/ses/message-tags.ts';
import { useClock } from '#adapters/clock.ts';
import { lambdaContext } from '../support/api-event.ts';
import { sesEvent } from '../support/ses-events.ts';
import { attributesSet, conditionIn } from '../support/expressions.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESv2Client);
let handler: (typeof import('#lambdas/email-events.ts'))['handler'];
let restoreClock: () => void;

beforeAll(async () => {
  process.env.TABLE_NAME = 'records';
  restoreClock = useClock(() => new Date('2026-03-01T10:00:05Z'));
  ({ handler } = await import('#lambdas/email-events.ts'));
});
afterAll(() => restoreClock());
beforeEach(() => {
  dynamo.reset();
  ses.reset();
});

const messageId = 'booking.01JD3M5X0Q7W8E9R2T4Y6U8I0O.v3.system.booking_confirmation.email';
const ours = Object.fromEntries(emailTagsFor({ tenantId: 'acme', messageId, messageType: 'booking_confirmation' }).map((tag) => [tag.Name!, [tag.Value!]]));
const invoke = (event: unknown) => handler(event as EventBridgeEvent<string, unknown>, lambdaContext);
const updates = () => dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
// DynamoDB returns the item of a failed condition marshalled: the document client does not convert it.
const conditionFailed = (item?: Record<string, unknown>) => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(item ? { Item: marshall(item) as never } : {}) });
const key = { pk: 'T#acme', sk: `message#${messageId}` };
/** An event settles only a message that exists and is still unsettled: the statuses its condition allows. */
const unsettledCondition = (update: ReturnType<typeof updates>[number]) => {
  expect(update.ConditionExpression).toMatch(/^attribute_exists\(pk\) AND /);
  return conditionIn(update, 'status');
};

describe('email events', () => {
  it('settle a message still sending as sent on SES\'s Send event, in one conditional update that also keeps the event', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { clientId: 'cl-1' } });
    await invoke(sesEvent('Send', ours, { messageId: 'ses-42', timestamp: '2026-03-01T10:00:00.123Z' }));
    expect(updates()).toHaveLength(1);
    const [update] = updates();
    expect(update).toMatchObject({ TableName: 'records', Key: key, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
    expect(attributesSet(update!)).toEqual({
      status: 'sent',
      providerMessageId: 'ses-42',
      sentAt: '2026-03-01T10:00:00.123Z',
      settledBy: 'ses_event',
      providerAccepted: true,
      updatedAt: '2026-03-01T10:00:05.000Z',
    });
    expect(unsettledCondition(update!)).toEqual(['sending', 'unknown']);
    expect(update!.UpdateExpression).toContain('list_append(if_not_exists(#events, :none), :entry)');
    expect(update!.ExpressionAttributeValues![':entry']).toEqual([{ type: 'Send', at: '2026-03-01T10:00:00.123Z' }]);
    expect(update!.ConditionExpression).toContain('NOT contains(#keys, :key)');
    expect(update!.ExpressionAttributeValues![':key']).toBe('Send@2026-03-01T10:00:00.123Z');
  });

  it('change nothing on the same Send event again: the stored key makes it a no-op, not an error', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed({ ...key, status: 'sent', providerAccepted: true, deliveryEventKeys: new Set(['Send@2026-03-01T10:00:00.123Z']) }));
    await expect(invoke(sesEvent('Send', ours, { messageId: 'ses-42' }))).resolves.toBeUndefined();
    expect(updates()).toHaveLength(1);
  });

  it('only record that SES accepted a message delivery settled already, keeping its status and provider id', async () => {
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(conditionFailed({ ...key, status: 'retrying' }))
      .resolves({});
    await invoke(sesEvent('Send', ours, { messageId: 'ses-42' }));
    const second = updates()[1]!;
    expect(attributesSet(second)).toEqual({ providerAccepted: true });
    expect(second.UpdateExpression).toMatch(/#m0 = if_not_exists\(#m0, :m0\)/);
    expect(second.ExpressionAttributeNames!['#m0']).toBe('providerMessageId');
    expect(second.ConditionExpression).not.toContain('#status');
  });

  it('create nothing for a message that does not exist (an email another system sent)', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    await invoke(sesEvent('Bounce', ours));
    expect(updates()).toHaveLength(1);
    expect(updates()[0]!.ConditionExpression).toMatch(/^attribute_exists\(pk\) AND /);
  });

  it('move a sent message to rejected on SES\'s Reject event, with the reason', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { clientId: 'cl-1' } });
    await invoke(sesEvent('Reject', ours, { messageId: 'ses-42' }));
    const [update] = updates();
    expect(unsettledCondition(update!)).toEqual(['sending', 'unknown', 'sent', 'delayed', 'delivered']);
    expect(attributesSet(update!)).toMatchObject({ status: 'rejected', reason: 'rejected: Bad content' });
  });

  it('move a message to delivered only from a lower status, and keep a late event on the history without moving back', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { clientId: 'cl-1' } });
    await invoke(sesEvent('Delivery', ours));
    expect(conditionIn(updates()[0]!, 'status')).toEqual(['sending', 'unknown', 'sent', 'delayed']);
    dynamo.reset();
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(conditionFailed({ ...key, clientId: 'cl-1', status: 'delivered', deliveryEventKeys: new Set(['Delivery@2026-03-01T10:00:01.912Z']) }))
      .resolves({});
    await invoke(sesEvent('DeliveryDelay', ours));
    expect(updates()).toHaveLength(2);
    expect(attributesSet(updates()[1]!)).not.toHaveProperty('status');
    expect(updates()[1]!.ExpressionAttributeValues![':entry']).toEqual([{ type: 'DeliveryDelay', at: '2026-03-01T10:05:00.000Z', diagnostic: 'TransientCommunicationFailure' }]);
  });

  it('suppress the client\'s address on a hard bounce: a conditional update of the client, only while it has that address', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { clientId: 'cl-1' } });
    await invoke(sesEvent('Bounce', ours));
    const [message, client] = updates();
    expect(attributesSet(message!)).toMatchObject({ status: 'bounced', reason: 'bounced: Permanent/General' });
    expect(client).toMatchObject({ Key: { pk: 'T#acme', sk: 'client#cl-1' } });
    expect(client!.ConditionExpression).toBe('attribute_exists(pk) AND email = :address AND attribute_not_exists(#suppressions.email)');
    expect(client!.ExpressionAttributeValues).toMatchObject({
      ':address': 'ana@example.com',
      ':suppressions': { email: { address: 'ana@example.com', cause: { event: 'Bounce', messageId, at: '2026-03-01T10:00:02.000Z', diagnostic: 'Permanent/General' } } },
    });
    expect(client!.UpdateExpression).toContain('ADD version :one');
  });

  it('suppress on a complaint too, and not on a soft bounce', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { clientId: 'cl-1' } });
    await invoke(sesEvent('Complaint', ours));
    expect(updates()).toHaveLength(2);
    dynamo.reset();
    dynamo.on(UpdateCommand).resolves({ Attributes: { clientId: 'cl-1' } });
    const soft = sesEvent('Bounce', ours);
    (soft.detail as Record<string, unknown>).bounce = { ...((soft.detail as Record<string, unknown>).bounce as object), bounceType: 'Transient', bounceSubType: 'MailboxFull' };
    await invoke(soft);
    expect(updates()).toHaveLength(1);
    expect(attributesSet(updates()[0]!)).toMatchObject({ status: 'bounced', reason: 'bounced: Transient/MailboxFull' });
  });

  it('treat a client whose address changed since (the condition fails) as nothing to suppress', async () => {
    dynamo
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: { clientId: 'cl-1' } })
      .rejects(conditionFailed({ pk: 'T#acme', sk: 'client#cl-1', email: 'new@example.com' }));
    await expect(invoke(sesEvent('Bounce', ours))).resolves.toBeUndefined();
  });

  it('ignore, without writing or throwing, malformed events and emails that are not ours', async () => {
    for (const event of [undefined, { source: 'aws.ses', detail: 'x' }, sesEvent('Send', {})]) {
      await expect(invoke(event)).resolves.toBeUndefined();
    }
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('throw when DynamoDB fails, so the event is retried and then kept in the dead-letter queue', async () => {
    dynamo.on(UpdateCommand).rejects(new ProvisionedThroughputExceededException({ message: 'Throughput exceeded', $metadata: {} }));
    await expect(invoke(sesEvent('Send', ours))).rejects.toThrow(/Throughput exceeded/);
  });

  it('find the message delivery sent: the tags on SendEmail are the ones the handler reads', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-7' });
    const sender = sesEmailSender(new SESv2Client({}), { from: 'no-reply@example.com', configurationSet: 'messages' });
    await sender.send({ to: 'ana@example.com', subject: 'Hola', text: 'Hola', html: '<p>Hola</p>', tenantId: 'acme', messageId, messageType: 'booking_confirmation' });
    const sent = ses.commandCalls(SendEmailCommand)[0]!.args[0].input.EmailTags!;
    dynamo.on(UpdateCommand).resolves({});
    await invoke(sesEvent('Send', Object.fromEntries(sent.map((tag) => [tag.Name!, [tag.Value!]])), { messageId: 'ses-7' }));
    expect(updates()[0]!.Key).toEqual(key);
  });
});
