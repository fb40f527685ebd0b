import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoRateLimiter } from '#adapters/dynamodb/rate-limiter.ts';

const client = mockClient(DynamoDBDocumentClient);
beforeEach(() => client.reset());

const limiter = dynamoRateLimiter(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'records');
const limit = { limit: 3, windowSeconds: 60 };
const now = new Date('2026-11-23T10:00:45.000Z');

describe('DynamoDB rate limiter', () => {
  it('counts the request in its fixed window with one conditional update that expires with the window', async () => {
    client.onAnyCommand().resolves({});
    expect(await limiter.take('public#acme', limit, now)).toEqual({ allowed: true });
    const [call] = client.commandCalls(UpdateCommand);
    const input = call!.args[0].input;
    expect(input).toMatchObject({
      TableName: 'records',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
    });
    expect(input.Key).toEqual({ pk: 'rate#public#acme', sk: '2026-11-23T10:00:00.000Z' });
    // Two windows from the window's start, in epoch seconds: the table's TTL removes spent counters.
    expect(input.ExpressionAttributeValues).toMatchObject({ ':limit': 3, ':expiresAt': Date.parse('2026-11-23T10:02:00.000Z') / 1000 });
  });

  it('refuses once the window is full, saying when the next window opens', async () => {
    client.onAnyCommand().rejects(new ConditionalCheckFailedException({ message: 'full', $metadata: {} }));
    expect(await limiter.take('public#acme', limit, now)).toEqual({ allowed: false, retryAfterSeconds: 15 });
  });

  it('lets other failures through, so they are not mistaken for a full window', async () => {
    client.onAnyCommand().rejects(new Error('ProvisionedThroughputExceeded'));
    await expect(limiter.take('public#acme', limit, now)).rejects.toThrow('ProvisionedThroughputExceeded');
  });
});
