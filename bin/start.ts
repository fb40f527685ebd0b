/**
 * `npm start`: the whole API on this machine, no AWS account needed.
 *   DynamoDB Local (data in .local/dynamodb, kept across restarts) + the API handlers behind a local
 *   API Gateway stand-in that verifies locally signed tokens (`npm run --silent token -- acme`).
 * Environment: PORT (3000), HOST (127.0.0.1), DYNAMODB_PORT (8000).
 */
import { join, relative } from 'node:path';
import { createLocalDynamoDbClient, ensureTable, startDynamoDbLocal } from '#local/dynamodb-local.ts';
import { startLocalServer, type LocalArea } from '#local/http-server.ts';
import { applyLocalEnv, LOCAL_TABLE_NAME } from '#local/local-env.ts';
import { createLocalTokenVerifier, loadOrCreateSecret, repoRoot, secretFilePath } from '#local/token-key.ts';

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    process.stderr.write(`${name} must be a port number between 1 and 65535, got ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return port;
}

const port = portFrom('PORT', 3000);
const dynamodbPort = portFrom('DYNAMODB_PORT', 8000);
const host = process.env['HOST'] || '127.0.0.1';
const dataDir = join(repoRoot, '.local', 'dynamodb');

/** A start-up failure whose message says it all (no stack trace needed). */
class StartError extends Error {
  override readonly name = 'StartError';
}

/** What to undo on the way out, newest first. */
const closers: Array<{ name: string; close: () => Promise<void> }> = [];
let stopping = false;

async function closeAll(): Promise<void> {
  while (closers.length > 0) {
    const { name, close } = closers.pop()!;
    try {
      await close();
    } catch (error) {
      process.stderr.write(`Could not stop ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

function shutdown(reason: string): void {
  if (stopping) {
    // Second Ctrl-C: don't wait. The 'exit' hook in dynamodb-local.ts still kills java.
    process.stderr.write(`\n${reason} again: exiting now.\n`);
    process.exit(1);
  }
  stopping = true;
  process.stdout.write(`\n${reason}: stopping…\n`);
  closeAll().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal));

// `npm start` runs us under `sh -c`. Killing npm (kill <npm pid>) kills that shell but not us, and
// we would run on as an orphan holding the ports: notice the new parent and stop as well.
const parentAtStart = process.ppid;
setInterval(() => {
  if (process.ppid !== parentAtStart && !stopping) shutdown('parent process exited');
}, 1_000).unref();

async function main(): Promise<void> {
  process.stdout.write(`Starting DynamoDB Local on port ${dynamodbPort} (Java)…\n`);
  const dynamodb = await startDynamoDbLocal({ port: dynamodbPort, dbPath: dataDir });
  closers.push({ name: 'DynamoDB Local', close: () => dynamodb.stop() });

  applyLocalEnv({ dynamodbEndpoint: dynamodb.endpoint, tableName: LOCAL_TABLE_NAME });
  const client = createLocalDynamoDbClient(dynamodb.endpoint);
  try {
    const { created, updated } = await ensureTable(client, LOCAL_TABLE_NAME);
    if (created) process.stdout.write(`Created table ${LOCAL_TABLE_NAME}.\n`);
    for (const change of updated) process.stdout.write(`Table ${LOCAL_TABLE_NAME}: added ${change}.\n`);
  } finally {
    client.destroy();
  }

  const secret = await loadOrCreateSecret();
  // Imported only now: handler modules read the environment set above when they load.
  const { apiAreas } = await import('#handlers/catalog.ts');
  const areas: readonly LocalArea[] = apiAreas;

  const api = await startLocalServer({ areas, verifyToken: createLocalTokenVerifier(secret), port, host }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    throw new StartError(`Port ${port} is already in use, so the API cannot listen on it. Stop whatever uses it or choose another port (PORT=3001 npm start).`);
  });
  closers.push({ name: 'HTTP server', close: () => api.close() });

  const routes = areas.reduce((count, area) => count + area.routes.length, 0);
  const shown = (path: string): string => relative(process.cwd(), path) || '.';
  const url = host === '127.0.0.1' || host === '0.0.0.0' ? `http://localhost:${api.port}` : api.url;
  process.stdout.write(
    [
      '',
      `  client-messages API (local)  ${url}`,
      `  ${routes} routes in ${areas.length} areas; one JSON log line per request below.`,
      '',
      '  Token for a tenant:  npm run --silent token -- acme',
      `  Try it:              curl -H "Authorization: Bearer $(npm run --silent token -- acme)" ${url}/...`,
      '',
      `  DynamoDB Local:      ${dynamodb.endpoint}  table ${LOCAL_TABLE_NAME}`,
      `  Data kept in:        ${shown(dataDir)}  (delete it to start empty)`,
      `  Signing key:         ${shown(secretFilePath())}`,
      '',
      '  Ctrl-C to stop.',
      '',
      '',
    ].join('\n'),
  );
}

main().catch(async (error: unknown) => {
  process.stderr.write(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof Error && !['DynamoDbLocalError', 'StartError'].includes(error.name) && error.stack) {
    process.stderr.write(`${error.stack}\n`);
  }
  stopping = true;
  await closeAll();
  process.exit(1);
});
