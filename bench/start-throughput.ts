/**
 * Throughput through `npm start`: THROUGHPUT_BOOKINGS (500) bookings with THROUGHPUT_CONCURRENCY
 * (25) in flight against the whole local stack, each for a client made beforehand, and the time
 * from the first booking request to the last confirmation email in the SES emulator's store.
 * THROUGHPUT_REPO runs another checkout's `npm start` (an earlier commit, to compare), with this
 * one's harness. `npx node bench/start-throughput.ts`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStack } from '../test/crash/harness.ts';
import { findFreePort } from '#local/dynamodb-local.ts';
import { loadOrCreateSecret, repoRoot, signLocalToken } from '#local/token-key.ts';

const bookings = Number(process.env.THROUGHPUT_BOOKINGS ?? 500);
const concurrency = Number(process.env.THROUGHPUT_CONCURRENCY ?? 25);
const root = process.env.THROUGHPUT_REPO ?? repoRoot;
const dir = mkdtempSync(join(tmpdir(), 'throughput-'));
const [port, dynamodbPort, sesPort, sqsPort] = [await findFreePort(), await findFreePort(), await findFreePort(), await findFreePort()];
const secretFile = join(dir, 'jwt-secret');
const env = { ...process.env, PORT: String(port), DYNAMODB_PORT: String(dynamodbPort), SES_PORT: String(sesPort), SQS_PORT: String(sqsPort), LOCAL_DIR: dir, LOCAL_JWT_SECRET_FILE: secretFile, POWERTOOLS_LOG_LEVEL: 'SILENT' };
const stack = new LocalStack(env, (line) => process.stdout.write(`${line}\n`), root);
try {
  await stack.start();
  const authorization = `Bearer ${await signLocalToken(await loadOrCreateSecret(secretFile), 'throughput')}`;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { authorization, 'content-type': 'application/json', ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const json = (await response.json()) as any;
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  await call('PUT', '/settings', { businessName: 'Throughput', timeZone: 'Europe/Madrid', defaultLanguage: 'en', bookingApproval: 'automatic', orderStatuses: ['New'], leadStatuses: ['New'] }, { 'if-match': '"0"' });
  const location = await call('POST', '/locations', { name: 'Centro', timeZone: 'Europe/Madrid' });
  const clients: string[] = [];
  for (let i = 0; i < bookings; i += concurrency) {
    const made = await Promise.all(Array.from({ length: Math.min(concurrency, bookings - i) }, (_, j) => call('POST', '/clients', { firstName: `C${i + j}`, email: `c${i + j}@throughput.example`, consent: { email: true, sms: false } })));
    clients.push(...made.map((client) => client.id as string));
  }
  const start = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const end = new Date(Date.now() + 7 * 86_400_000 + 1_800_000).toISOString();
  const first = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bookings) {
        const clientId = clients[next++]!;
        await call('POST', '/bookings', { clientId, locationId: location.id, service: 'Cut', start, end });
      }
    }),
  );
  const created = performance.now() - first;
  let last = 0;
  for (const deadline = Date.now() + 300_000; Date.now() < deadline; ) {
    const { emails } = (await (await fetch(`http://127.0.0.1:${sesPort}/store`)).json()) as { emails: unknown[] };
    if (emails.length >= bookings) {
      last = performance.now() - first;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.stdout.write(
    `${JSON.stringify({ repo: root, bookings, concurrency, bookingsPerSecond: Math.round((bookings / created) * 1000 * 10) / 10, lastConfirmationSeconds: last ? Math.round(last / 100) / 10 : 'not all confirmations arrived in 300 s' })}\n`,
  );
} finally {
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
}
