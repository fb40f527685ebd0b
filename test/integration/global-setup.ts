/**
 * vitest globalSetup for integration tests: one in-memory DynamoDB Local on a free port with the
 * table created, shared by all test files, stopped after the run.
 *
 * Test files read the endpoint with `inject('dynamodbEndpoint')` / `inject('tableName')`
 * (see local-stack.ts); the same values are also put in process.env before workers start.
 */
import type { TestProject } from 'vitest/node';
import { createLocalDynamoDbClient, ensureTable, findFreePort, startDynamoDbLocal } from '#local/dynamodb-local.ts';

export const INTEGRATION_TABLE_NAME = 'client-messages-test';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    tableName: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = await findFreePort();
  const dynamodb = await startDynamoDbLocal({ port });
  try {
    const client = createLocalDynamoDbClient(dynamodb.endpoint);
    try {
      await ensureTable(client, INTEGRATION_TABLE_NAME);
    } finally {
      client.destroy();
    }
  } catch (error) {
    await dynamodb.stop();
    throw error;
  }

  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  project.provide('tableName', INTEGRATION_TABLE_NAME);
  // For code that reads the environment directly (workers are started after this and inherit it).
  process.env['AWS_ENDPOINT_URL_DYNAMODB'] = dynamodb.endpoint;
  process.env['TABLE_NAME'] = INTEGRATION_TABLE_NAME;

  return async () => {
    await dynamodb.stop();
  };
}
