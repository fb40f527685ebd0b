import { beforeAll, beforeEach } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HttpLambda } from '#http/http-handler.ts';

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
  return { dynamo, handler };
}
