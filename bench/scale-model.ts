/**
 * The scale model of docs/scale.md, from the counted life of one booking (bench/booking-lifecycle.ts):
 * the AWS calls a month of 10,000 businesses with 200 bookings each makes, what it costs per service,
 * and the quota each service reaches first.
 *
 *   node bench/scale-model.ts            prints the model
 *   node bench/scale-model.ts --write    writes it into docs/scale.md (between its markers)
 *
 * test/integration/scale-model.test.ts counts the same life and fails when docs/scale.md says
 * otherwise, so the document cannot drift from the code.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { countBookingLifecycle, type LifecycleCounts } from './booking-lifecycle.ts';

export const model = {
  businesses: 10_000,
  bookingsPerBusinessPerMonth: 200,
  /** Average run of one invocation and the memory it is given: assumptions, shown beside the figures. */
  lambdaMsPerInvocation: 120,
  lambdaMemoryGb: 0.5,
} as const;

/**
 * List prices (USD, us-east-1, on-demand, checked 2026-12 on the services' pricing pages), without
 * free tiers. SMS prices vary by country and change often: the rates below are examples of the order
 * of magnitude; use the SNS SMS price list for the countries you send to.
 */
export const prices = {
  apiGatewayPerMillion: 1.0,
  lambdaPerMillionRequests: 0.2,
  lambdaPerGbSecondArm: 0.0000133334,
  dynamoPerMillionWrites: 0.625,
  dynamoPerMillionReads: 0.125,
  schedulerPerMillionInvocations: 1.0,
  sqsPerMillionRequests: 0.4,
  sesPerThousandEmails: 0.1,
  smsPerMessage: { 'United States': 0.0088, 'United Kingdom': 0.0463, Spain: 0.0767, France: 0.0837 },
} as const;

const markers = { start: '<!-- scale-model:start -->', end: '<!-- scale-model:end -->' };
const documentPath = fileURLToPath(new URL('../docs/scale.md', import.meta.url));

const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);
const usd = (value: number) => `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const count = (value: number) => Math.round(value).toLocaleString('en-US');

/** DynamoDB reads: every call that is not a write. A transaction's or batch's items are not counted apart: at most a small overcount of calls, not of units. */
const writeOperations = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);

/** The model as markdown: per booking, per month, cost and quotas. */
export function renderModel(perBooking: LifecycleCounts): string {
  const bookings = model.businesses * model.bookingsPerBusinessPerMonth;
  const month = (perLife: number) => perLife * bookings;
  const dynamoCalls = sum(Object.values(perBooking.dynamodb));
  const dynamoReads = sum(Object.entries(perBooking.dynamodb).filter(([operation]) => !writeOperations.has(operation)).map(([, calls]) => calls));
  const invocations = perBooking.apiRequests + perBooking.evaluatorInvocations + perBooking.deliveryInvocations + perBooking.sesEvents;
  // The delivery queue: one send per batch, and Lambda's poller receives and deletes each message.
  const sqsRequests = perBooking.sqsSendBatch + (perBooking.sqsMessages - perBooking.sqsSendBatch) + 2 * perBooking.sqsMessages;
  const firedSchedules = perBooking.schedulerCreate - perBooking.schedulerDelete;
  const costs: [string, number, string][] = [
    ['API Gateway (HTTP API)', (month(perBooking.apiRequests) / 1e6) * prices.apiGatewayPerMillion, `${count(month(perBooking.apiRequests))} requests`],
    [
      'Lambda',
      (month(invocations) / 1e6) * prices.lambdaPerMillionRequests + month(invocations) * (model.lambdaMsPerInvocation / 1000) * model.lambdaMemoryGb * prices.lambdaPerGbSecondArm,
      `${count(month(invocations))} invocations × ${model.lambdaMsPerInvocation} ms × ${model.lambdaMemoryGb * 1024} MB (arm64)`,
    ],
    [
      'DynamoDB (on demand)',
      (month(perBooking.itemsWritten) / 1e6) * prices.dynamoPerMillionWrites + (month(dynamoReads) / 1e6) * prices.dynamoPerMillionReads,
      `${count(month(perBooking.itemsWritten))} item writes, ${count(month(dynamoReads))} read calls (items < 1 KB; streams read by Lambda at no charge)`,
    ],
    ['EventBridge Scheduler', (month(firedSchedules) / 1e6) * prices.schedulerPerMillionInvocations, `${count(month(firedSchedules))} schedules fired (create and delete calls are not billed)`],
    ['SQS (standard)', (month(sqsRequests) / 1e6) * prices.sqsPerMillionRequests, `${count(month(sqsRequests))} requests (sends, receives, deletes)`],
    ['SES', (month(perBooking.sesSend) / 1000) * prices.sesPerThousandEmails, `${count(month(perBooking.sesSend))} emails; their events reach EventBridge's default bus at no charge`],
  ];
  const smsPerMonth = month(perBooking.snsPublish);
  const infrastructure = sum(costs.map(([, cost]) => cost));

  const lines = [
    markers.start,
    '<!-- Written by `node bench/scale-model.ts --write` from the counted life of one booking; test/integration/scale-model.test.ts fails when it is out of date. -->',
    '',
    `### One booking's life, counted`,
    '',
    'Made a week ahead; confirmation by email and SMS; reminders 1 day and 2 hours before, each by email and SMS; completed; the client follow-up 1 day after, by email. Each email gets its Send and Delivery events.',
    '',
    '| What | Calls per booking |',
    '| --- | ---: |',
    `| API requests (booking created, booking completed) | ${perBooking.apiRequests} |`,
    ...Object.entries(perBooking.dynamodb).map(([operation, calls]) => `| DynamoDB ${operation} | ${calls} |`),
    `| DynamoDB items written | ${perBooking.itemsWritten} |`,
    `| EventBridge Scheduler CreateSchedule | ${perBooking.schedulerCreate} |`,
    `| EventBridge Scheduler DeleteSchedule | ${perBooking.schedulerDelete} |`,
    `| SQS SendMessageBatch (evaluator) | ${perBooking.sqsSendBatch} |`,
    `| SQS messages (delivery requests, including those the schedules send) | ${perBooking.sqsMessages} |`,
    `| SES SendEmail | ${perBooking.sesSend} |`,
    `| SNS Publish (SMS) | ${perBooking.snsPublish} |`,
    `| SES events (EventBridge) | ${perBooking.sesEvents} |`,
    `| Lambda invocations: evaluator, delivery (one request each: an upper bound), email events | ${perBooking.evaluatorInvocations}, ${perBooking.deliveryInvocations}, ${perBooking.sesEvents} |`,
    `| DynamoDB calls in all | ${dynamoCalls} |`,
    '',
    `### A month: ${count(model.businesses)} businesses × ${model.bookingsPerBusinessPerMonth} bookings = ${count(bookings)} bookings`,
    '',
    '| Service | Monthly cost (USD) | From |',
    '| --- | ---: | --- |',
    ...costs.map(([service, cost, from]) => `| ${service} | ${usd(cost)} | ${from} |`),
    `| **Infrastructure in all** | **${usd(infrastructure)}** | without free tiers |`,
    ...Object.entries(prices.smsPerMessage).map(([country, price]) => `| SNS SMS, all to ${country} | ${usd(smsPerMonth * price)} | ${count(smsPerMonth)} SMS × $${price.toFixed(4)} (example rate; single-segment messages) |`),
    '',
    `### Rates at the peak`,
    '',
    `Bookings are not spread evenly: the model assumes the busiest hour carries 3 % of a day's messages (a day being 1/30 of the month) and the busiest second 5 × that hour's average.`,
    '',
    '| Service | Peak rate | First quota it meets (default) |',
    '| --- | ---: | --- |',
    ...peakRows(perBooking, bookings),
    '',
    `Schedules alive at once: a booking's schedules live from when it is made (a week ahead) until its follow-up fires (a day after it), so about ${count((bookings / 30) * 8 * perBooking.schedulerCreate)} schedules exist at any time (${count(bookings / 30)} bookings a day × 8 days × ${perBooking.schedulerCreate}), against the default 10 million per Region.`,
    markers.end,
  ];
  return lines.join('\n');
}

function peakRows(perBooking: LifecycleCounts, bookings: number): string[] {
  const perSecondAtPeak = (perMonth: number) => ((perMonth / 30) * 0.03 * 5) / 3600;
  const row = (service: string, perMonth: number, quota: string) => `| ${service} | ${perSecondAtPeak(perMonth).toFixed(1)}/s | ${quota} |`;
  return [
    row('Scheduler CreateSchedule + DeleteSchedule', (perBooking.schedulerCreate + perBooking.schedulerDelete) * bookings, '1,000 requests/s each (5,000 in the largest Regions), adjustable; 10 million schedules per Region'),
    row('SES SendEmail', perBooking.sesSend * bookings, 'the account\'s sending rate (new production accounts often start at 14/s) and daily quota: raise through the SES console before launch'),
    row('SNS SMS Publish', perBooking.snsPublish * bookings, 'SMS throughput per origination identity (e.g. 1 MPS on US toll-free, 20 MPS on a short code) and the account\'s monthly SMS spend limit ($1 by default)'),
    row('DynamoDB writes, whole table', perBooking.itemsWritten * bookings, 'none at this rate on demand; per partition 1,000 WCU/s: the largest business writes a tiny fraction of that'),
    row('Lambda invocations', (perBooking.apiRequests + perBooking.evaluatorInvocations + perBooking.deliveryInvocations + perBooking.sesEvents) * bookings, '1,000 concurrent executions per Region by default'),
  ];
}

/** The model's block in docs/scale.md, as it is now. */
export async function documentedModel(): Promise<string> {
  const text = await readFile(documentPath, 'utf8');
  const start = text.indexOf(markers.start);
  const end = text.indexOf(markers.end);
  if (start < 0 || end < start) throw new Error(`docs/scale.md has no ${markers.start} … ${markers.end} block`);
  return text.slice(start, end + markers.end.length);
}

async function main(): Promise<void> {
  const { createLocalDynamoDbClient, ensureTable, findFreePort, startDynamoDbLocal } = await import('#local/dynamodb-local.ts');
  const { applyLocalEnv } = await import('#local/local-env.ts');
  const dynamodb = await startDynamoDbLocal({ port: await findFreePort() });
  try {
    const tableName = 'scale-model';
    applyLocalEnv({ dynamodbEndpoint: dynamodb.endpoint, tableName });
    const client = createLocalDynamoDbClient(dynamodb.endpoint);
    await ensureTable(client, tableName);
    const rendered = renderModel(await countBookingLifecycle({ client, endpoint: dynamodb.endpoint, tableName }));
    client.destroy();
    if (process.argv.includes('--write')) {
      const text = await readFile(documentPath, 'utf8');
      await writeFile(documentPath, text.replace(await documentedModel(), rendered));
      console.log(`wrote the model into ${documentPath}`);
    } else {
      console.log(rendered);
    }
  } finally {
    await dynamodb.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
