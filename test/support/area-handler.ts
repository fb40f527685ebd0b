import { beforeAll, beforeEach, expect } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { HttpLambda } from '#http/http-handler.ts';
import { apiEvent, lambdaContext, parsed } from './api-event.ts';

/**
 * An API area's Lambda handler over a mocked DynamoDB document client, reset before each test. The
 * module is imported once the table name is set, as the Lambda runtime would have it.
 */
export function areaHandler(load: () => Promise<{ handler: HttpLambda }>) {
  const dynamo = mockClient(DynamoDBDocumentClient);
  let loaded: HttpLambda | undefined;
  beforeAll(async () => {
    process.env.TABLE_NAME = 'records';
    ({ handler: loaded } = await load());
  });
  beforeEach(() => dynamo.reset());
  const handler: HttpLambda = (event, context) => {
    if (!loaded) throw new Error('the handler is loaded before the tests run');
    return loaded(event, context);
  };
  /**
   * Reads `stored` and lets the write through only at `writtenVersion`: someone else wrote first,
   * so the table holds a newer version than the one read.
   */
  const concurrentWrite = (stored: Record<string, unknown>, writtenVersion: number) => {
    dynamo.on(GetCommand).resolves({ Item: stored });
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {}, Item: { version: { N: String(writtenVersion) } } }));
  };
  /** A write refused for a stale If-Match: 412 naming the version stored now, and nothing written. */
  const expectStaleRefused = (result: { statusCode?: number; body?: string }, currentVersion: number) => {
    expect(result.statusCode).toBe(412);
    expect(parsed(result).error.details.currentVersion).toBe(currentVersion);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  };
  /** A list query refused with a 400 whose first issue names `path`. */
  const expectQueryRefused = async (routeKey: string, query: Record<string, string>, path: string) => {
    const result = await handler(apiEvent({ routeKey, query }), lambdaContext);
    expect(result.statusCode).toBe(400);
    expect(parsed(result).error.details.issues[0].path).toBe(path);
  };
  return { dynamo, handler, concurrentWrite, expectStaleRefused, expectQueryRefused };
}
