import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#adapters/dynamodb/record-store.ts';
import { dynamoMessageLog } from '#adapters/dynamodb/message-log.ts';

/** The client card's upcoming messages against a mocked Query: filtered to `scheduled`, soonest first, reading a bounded number of messages. */
const dynamo = mockClient(DynamoDBDocumentClient);
beforeEach(() => dynamo.reset());
const log = dynamoMessageLog(createDocumentClient(), 'records');

const scheduled = (id: string, dueAt: string) => ({ pk: 'T#acme', sk: `message#${id}`, id, clientId: 'C1', status: 'scheduled', dueAt, leaseUntil: 'x' });

describe('upcomingForClient', () => {
  it('asks the client’s index for scheduled messages, newest first, and answers them due soonest first without the lease', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [scheduled('m-2', '2030-05-01T08:00:00.000Z'), scheduled('m-1', '2030-04-01T08:00:00.000Z')], ScannedCount: 7 });
    const found = await log.upcomingForClient('acme', 'C1', 5);
    expect(found.map((message) => message.id)).toEqual(['m-1', 'm-2']);
    expect(found[0]).not.toHaveProperty('leaseUntil');
    expect(found[0]).not.toHaveProperty('pk');
    const [input] = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(input).toMatchObject({
      IndexName: 'ByClient',
      FilterExpression: '#status = :scheduled',
      ScanIndexForward: false,
      Limit: 100,
      ExpressionAttributeValues: { ':pk': 'T#acme#client#C1', ':prefix': 'message#', ':scheduled': 'scheduled' },
    });
  });

  it('reads on past pages with none scheduled, but no further than the latest 300 messages', async () => {
    let page = 0;
    dynamo.on(QueryCommand).callsFake(() => ({ Items: [], ScannedCount: 100, LastEvaluatedKey: { pk: 'T#acme', sk: `message#${++page}` } }));
    await expect(log.upcomingForClient('acme', 'C1', 5)).resolves.toEqual([]);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(3);
    expect(dynamo.commandCalls(QueryCommand)[1]!.args[0].input.ExclusiveStartKey).toEqual({ pk: 'T#acme', sk: 'message#1' });
  });
});
