import { afterAll, describe, expect, it } from 'vitest';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '#local/dynamodb-local.ts';
import { countBookingLifecycle } from '../../bench/booking-lifecycle.ts';
import { documentedModel, renderModel } from '../../bench/scale-model.ts';
import { localDynamoDbClient, useLocalStackEnv } from './local-stack.ts';

/**
 * docs/scale.md is worked out from the counted life of one booking: counting it again must give the
 * same document, so a change to the message path that adds or removes an AWS call shows here, and
 * `node bench/scale-model.ts --write` brings the document up to date.
 */
const { dynamodbEndpoint } = useLocalStackEnv();
const client = localDynamoDbClient();
// A table of its own: its stream then holds only this booking's records.
const tableName = `scale-model-${process.pid}`;
afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  client.destroy();
});

describe('the scale model', () => {
  it('says what one booking’s life costs in AWS calls today', { timeout: 120_000 }, async () => {
    await ensureTable(client, tableName);
    const counts = await countBookingLifecycle({ client, endpoint: dynamodbEndpoint, tableName });
    // The life itself: seven messages (confirmation, two reminders, by email and SMS; the follow-up by email), five of them armed.
    expect(counts.sesSend + counts.snsPublish).toBe(7);
    expect(counts.schedulerCreate).toBe(5);
    expect(renderModel(counts)).toBe(await documentedModel());
  });
});
