/**
 * Benchmark: what the tenant-scoped table client (functions/adapters/dynamodb/tenant-scoped-documents.ts)
 * adds to one DynamoDB call, against DynamoDB Local, as ratios to a floor measured in the same run:
 * the same GetItem through the shared client.
 *   - cached: a tenant whose session and client the container already holds;
 *   - cold: a tenant's first call in the container: a new client and an AssumeRole through the real
 *     SDK path (signing, the Query protocol request, XML parsing) to a tiny local HTTP server that
 *     answers as STS does. The network round trip to STS (typically a few ms to tens of ms, within
 *     the Region) is NOT in this figure: add it to the cold cost.
 *
 *   node bench/tenant-credentials.ts     (BENCH_CALLS=1000, BENCH_COLD_TENANTS=200 by default)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { STSClient } from '@aws-sdk/client-sts';
import { createDocumentClient } from '#adapters/dynamodb/record-store.ts';
import { tenantScopedDocuments } from '#adapters/dynamodb/tenant-scoped-documents.ts';
import { tenantCredentials } from '#adapters/sts/tenant-credentials.ts';
import { bindRequestTenant, withRequestScope } from '#request-tenant';
import { fmt, measure, warmup, withMeteredTable } from './support.ts';

const calls = Number(process.env.BENCH_CALLS ?? 1000);
const coldTenants = Number(process.env.BENCH_COLD_TENANTS ?? 200);
const tableName = 'bench-tenant-credentials';

/** Answers every request as STS answers AssumeRole: fresh keys for 15 minutes. */
async function startFakeSts() {
  let requests = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests += 1;
      const expiration = new Date(Date.now() + 900_000).toISOString();
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>` +
          `<AccessKeyId>ASIABENCH${requests}</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token-${requests}</SessionToken><Expiration>${expiration}</Expiration>` +
          `</Credentials><AssumedRoleUser><AssumedRoleId>AROABENCH:t-bench</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/bench/t-bench</Arn></AssumedRoleUser>` +
          `<PackedPolicySize>6</PackedPolicySize></AssumeRoleResult><ResponseMetadata><RequestId>r-${requests}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const sts = await startFakeSts();
try {
  await withMeteredTable(tableName, async (client, meter) => {
    const shared = createDocumentClient(client);
    const credentials = tenantCredentials({ sts: new STSClient({ endpoint: sts.endpoint }), roleArn: () => 'arn:aws:iam::123456789012:role/bench-tenant-data', maxTenants: coldTenants + 1 });
    const scoped = tenantScopedDocuments(shared, credentials, { maxTenants: coldTenants + 1 });
    const read = (documents: typeof shared, tenantId: string) => documents.send(new GetCommand({ TableName: tableName, Key: { pk: `T#${tenantId}`, sk: 'settings#current' } }));
    const asTenant = <T>(tenantId: string, work: () => Promise<T>) =>
      withRequestScope(() => {
        bindRequestTenant(tenantId);
        return work();
      });

    for (let i = 0; i < warmup; i++) await read(shared, 'bench');
    for (let i = 0; i < warmup; i++) await asTenant('bench', () => read(scoped, 'bench'));
    const floor = await measure(calls, meter, () => read(shared, 'bench'));
    const cached = await measure(calls, meter, () => asTenant('bench', () => read(scoped, 'bench')));
    const stsBefore = sts.requests();
    const cold = await measure(coldTenants, meter, (i) => asTenant(`cold-${i}`, () => read(scoped, `cold-${i}`)));
    const assumed = sts.requests() - stsBefore;

    console.log(`tenant-scoped GetItem:       ${calls} calls cached, ${coldTenants} tenants cold (after ${warmup} warm-up), DynamoDB Local in-memory, STS a local HTTP server`);
    console.log(`floor, shared client:        mean ${fmt(floor.meanMs)}, p50 ${fmt(floor.p50)}, p99 ${fmt(floor.p99)}`);
    console.log(`cached session:              mean ${fmt(cached.meanMs)}, p50 ${fmt(cached.p50)}, p99 ${fmt(cached.p99)}; ratio ${(cached.meanMs / floor.meanMs).toFixed(2)}x`);
    console.log(`cold (new client + AssumeRole): mean ${fmt(cold.meanMs)}, p50 ${fmt(cold.p50)}, p99 ${fmt(cold.p99)}; ratio ${(cold.meanMs / floor.meanMs).toFixed(2)}x; ${assumed} AssumeRole for ${coldTenants} tenants`);
    console.log(`not measured:                the network round trip to STS on a cold tenant (once per tenant per container per ~10 minutes)`);
  });
} finally {
  await sts.stop();
}
