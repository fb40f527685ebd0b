import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Tracer } from '@aws-lambda-powertools/tracer';
const t = new Tracer();
export const c = DynamoDBDocumentClient.from(t.captureAWSv3Client(new DynamoDBClient({})));
