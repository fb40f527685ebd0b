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
import { performance } from 'node:perf_hooks';
import { fmt, warmup, withMeteredTable } from './support.ts';

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

const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { mean: ms.reduce((sum, x) => sum + x, 0) / ms.length, p50: sorted[Math.floor(sorted.length / 2)]! };
};
/** Mean to mean, and p50 to p50 (less moved by the JVM's pauses). */
const ratio = (pair: { floor: { mean: number; p50: number }; measured: { mean: number; p50: number } }) =>
  `${(pair.measured.mean / pair.floor.mean).toFixed(2)}x of the mean, ${(pair.measured.p50 / pair.floor.p50).toFixed(2)}x of the p50`;

const sts = await startFakeSts();
try {
  await withMeteredTable(tableName, async (client) => {
    const shared = createDocumentClient(client);
    const credentials = tenantCredentials({ sts: new STSClient({ endpoint: sts.endpoint }), roleArn: () => 'arn:aws:iam::123456789012:role/bench-tenant-data', maxTenants: coldTenants + 1 });
    const scoped = tenantScopedDocuments(shared, credentials, { maxTenants: coldTenants + 1 });
    const read = (documents: typeof shared, tenantId: string) => documents.send(new GetCommand({ TableName: tableName, Key: { pk: `T#${tenantId}`, sk: 'settings#current' } }));
    const asTenant = <T>(tenantId: string, work: () => Promise<T>) =>
      withRequestScope(() => {
        bindRequestTenant(tenantId);
        return work();
      });

    // DynamoDB Local's JVM warms up for a while: each measured call is paired with a floor call made
    // right before it, so both see the same machine.
    const timed = async (call: () => Promise<unknown>) => {
      const started = performance.now();
      await call();
      return performance.now() - started;
    };
    const paired = async (count: number, call: (i: number) => Promise<unknown>) => {
      const floor: number[] = [];
      const measured: number[] = [];
      for (let i = 0; i < count; i++) {
        floor.push(await timed(() => read(shared, 'bench')));
        measured.push(await timed(() => call(i)));
      }
      return { floor: summary(floor), measured: summary(measured) };
    };
    await paired(10 * warmup, () => asTenant('bench', () => read(scoped, 'bench')));
    const cached = await paired(calls, () => asTenant('bench', () => read(scoped, 'bench')));
    const stsBefore = sts.requests();
    const cold = await paired(coldTenants, (i) => asTenant(`cold-${i}`, () => read(scoped, `cold-${i}`)));
    const assumed = sts.requests() - stsBefore;

    console.log(`tenant-scoped GetItem:       ${calls} calls cached, ${coldTenants} tenants cold, each after a floor call (after ${10 * warmup} warm-up pairs), DynamoDB Local in-memory, STS a local HTTP server`);
    console.log(`cached session:              mean ${fmt(cached.measured.mean)} (p50 ${fmt(cached.measured.p50)}), floor ${fmt(cached.floor.mean)} (p50 ${fmt(cached.floor.p50)}): ratio ${ratio(cached)}`);
    console.log(`cold (new client + AssumeRole): mean ${fmt(cold.measured.mean)} (p50 ${fmt(cold.measured.p50)}), floor ${fmt(cold.floor.mean)} (p50 ${fmt(cold.floor.p50)}): ratio ${ratio(cold)}; ${assumed} AssumeRole for ${coldTenants} tenants`);
    console.log(`not measured:                the network round trip to STS on a cold tenant (once per tenant per container per ~10 minutes)`);
  });
} finally {
  await sts.stop();
}
