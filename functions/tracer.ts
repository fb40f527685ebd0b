import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * X-Ray for the AWS SDK calls: each client built in functions/wiring/ is captured, so a trace
 * shows every DynamoDB, SQS, Scheduler, SES, SNS and S3 call of an invocation with its latency and
 * error. The Tracer is off outside Lambda (and wherever POWERTOOLS_TRACE_ENABLED=false, as local
 * mode and the tests set): captured clients then behave exactly as plain ones.
 */
export const tracer = new Tracer();

export const traced = <T extends object>(client: T): T => tracer.captureAWSv3Client(client);
