/**
 * Benchmark: import 10,000 clients from one CSV file through the local stack: the file in local
 * document storage, `POST /imports` through the real route, the chunks queued on the SQS emulator
 * (fauxqs) and run by the real import worker behind the local SQS event source, against DynamoDB
 * Local. Compared with the floor, the same 10,000 client items written with raw BatchWriteItem
 * (25 per call, one call at a time), measured in the same run on the same table.
 *
 *   npm run bench            (BENCH_IMPORT_ROWS=10000 by default)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ulid } from 'ulid';
import { itemKeys } from '#adapters/dynamodb/item-keys.ts';
import { importUploadKey } from '#domain/imports/client-import.ts';
import { applyLocalDocumentsEnv, applyLocalEnv } from '#local/local-env.ts';
import { createLocalSqsClient, ensureDeliveryQueues, startSqsLocal } from '#local/sqs-local.ts';
import { startSqsEventSource } from '#local/sqs-event-source.ts';
import { apiEvent, lambdaContext } from '../test/support/api-event.ts';
import { withMeteredTable } from './support.ts';

const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const tableName = 'bench-import';
const tenantId = 'bench-import';

const csv = ['First name,Last name,Email,Phone', ...Array.from({ length: rows }, (_, i) => `Client ${i},Bench,client${i}@example.com,+3460${String(i).padStart(7, '0')}`)].join('\n');

await withMeteredTable(tableName, async (client) => {
  const sqsServer = await startSqsLocal({ port: 0 });
  const sqs = createLocalSqsClient(sqsServer.endpoint);
  const documentsDir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  try {
    const queues = await ensureDeliveryQueues(sqs, { name: 'bench-imports', deadLetterName: 'bench-imports-dead-letters', visibilityTimeoutSeconds: 125, maxReceives: 5 });
    const endpoint = process.env['AWS_ENDPOINT_URL_DYNAMODB']!;
    applyLocalEnv({ dynamodbEndpoint: endpoint, tableName, sqs: { endpoint: sqsServer.endpoint, deliveryQueueUrl: queues.queueUrl, importQueueUrl: queues.queueUrl } });
    applyLocalDocumentsEnv({ dir: documentsDir, baseUrl: 'http://127.0.0.1:9', secret: randomBytes(32).toString('base64url') });
    const { appDeps } = await import('#wiring');
    const { handler: api } = await import('#api/imports.ts');
    const { handler: worker } = await import('#lambdas/client-import.ts');

    const uploadId = ulid();
    // As the browser's PUT to the signed URL leaves it.
    await appDeps().documents.write(importUploadKey(tenantId, uploadId), csv, 'text/csv');
    const source = startSqsEventSource({ handler: worker, sqs, queueUrl: queues.queueUrl, queueArn: queues.queueArn, functionName: 'client-import', batchSize: 1, maxConcurrency: 1, timeoutMs: 120_000, log: false });
    const started = performance.now();
    const answer = await api(apiEvent({ routeKey: 'POST /imports', body: { uploadId, guess: true, onMatch: 'update', emailConsent: false }, tenantId }), lambdaContext);
    if (answer.statusCode !== 202) throw new Error(`POST /imports answered ${answer.statusCode}: ${answer.body}`);
    let job: { status: string; counts: Record<string, number> } | undefined;
    do {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = await appDeps().store.get(tenantId, 'clientImport', uploadId);
    } while (job?.status !== 'completed' && job?.status !== 'failed');
    const importMs = performance.now() - started;
    await source.stop();
    if (job.status !== 'completed' || job.counts['created'] !== rows) throw new Error(`the import ended ${job.status} with ${JSON.stringify(job.counts)}`);

    // The floor: the same client items, raw, 25 per BatchWriteItem, one call after another.
    const at = new Date().toISOString();
    const items = Array.from({ length: rows }, (_, i) => {
      const record = { id: ulid(), firstName: `Client ${i}`, lastName: 'Floor', email: `floor${i}@example.com`, phone: `+3461${String(i).padStart(7, '0')}`, consent: { email: false, sms: false }, status: 'active', customFields: {}, version: 1, createdAt: at, updatedAt: at };
      return marshall({ ...record, ...itemKeys(tenantId, 'client', record), kind: 'client', tenantId });
    });
    const floorStarted = performance.now();
    for (let i = 0; i < items.length; i += 25) {
      let batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      while (batch.length > 0) {
        const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: batch } }));
        batch = (result.UnprocessedItems?.[tableName] ?? []) as typeof batch;
      }
    }
    const floorMs = performance.now() - floorStarted;

    const rate = (ms: number) => rows / (ms / 1000);
    console.log(`clients imported:            ${rows} rows of one CSV file, DynamoDB Local in-memory, SQS emulator, one worker at a time`);
    console.log(`import, POST to completed:   ${(importMs / 1000).toFixed(2)} s, ${rate(importMs).toFixed(0)} rows/s (${Math.ceil(rows / 500)} chunks of 500)`);
    console.log(`floor, raw BatchWriteItem:   ${(floorMs / 1000).toFixed(2)} s, ${rate(floorMs).toFixed(0)} rows/s (25 items per call, sequential)`);
    console.log(`ratio import / floor:        ${(importMs / floorMs).toFixed(2)}x the time`);
  } finally {
    sqs.destroy();
    await sqsServer.close();
    rmSync(documentsDir, { recursive: true, force: true });
  }
});
