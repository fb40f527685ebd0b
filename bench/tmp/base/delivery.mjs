import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
export const c = [DynamoDBDocumentClient.from(new DynamoDBClient({})), new SESv2Client({}), new SNSClient({}), new SchedulerClient({}), new SecretsManagerClient({})];
