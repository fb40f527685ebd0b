/**
 * The local stand-in for Lambda's DynamoDB Streams event source mapping: reads the table's stream in
 * DynamoDB Local and invokes a handler with the event Lambda would build.
 *
 * - Shards: listed with DescribeStream (DynamoDB Local closes shards and opens children like AWS);
 *   a child is read only after its parent is finished.
 * - Position: per shard, after the last checkpointed sequence number; a stream seen for the first
 *   time starts at `startingPosition` (TRIM_HORIZON: everything in it; LATEST: only what is written
 *   from now on). Checkpoints live in a JSON file (`npm start`) or in memory (tests).
 * - Batches: up to `batchSize` records that pass the filter (the same patterns as the deployed
 *   FilterCriteria), polled every `intervalMs`.
 * - Failures: a thrown error, a timeout or an invalid response fails the whole batch; a
 *   `batchItemFailures` response checkpoints what came before the lowest failed sequence number and
 *   retries from it with backoff. With `bisectBatchOnError`, a whole batch that failed is split in
 *   two and its first half retried (splits do not use up attempts), until the failing record is
 *   alone. After `maxAttempts` attempts the failed records go to the failure file (the local
 *   on-failure destination) and reading moves on.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  TrimmedDataAccessException,
  type _Record as StreamsRecord,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { compileFilter } from '#local/event-filter.ts';
import { evaluatorFilterPatterns, type FilterPattern } from '#domain/messages/stream-filter.ts';
import { invokeWithTimeout, lambdaContext } from '#local/lambda-context.ts';
import { LOCAL_REGION } from '#local/local-env.ts';

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST';

/** One JSON log line: an invocation, a retry, a give-up or a problem reading the stream. */
export type StreamPollerLogEntry = Readonly<Record<string, unknown>> & { readonly source: 'stream'; readonly event: string };

export interface StreamPollerOptions {
  /** DynamoDB Local, e.g. `http://127.0.0.1:8000`. */
  readonly endpoint: string;
  readonly tableName: string;
  readonly handler: StreamHandler;
  /** For the Lambda context and the logs. */
  readonly functionName?: string;
  /** Lambda FilterCriteria patterns; defaults to the evaluator's. `[]` lets every record through. */
  readonly filterPatterns?: readonly FilterPattern[];
  /** A local-only extra filter (tests use it to see only their own tenants' records). */
  readonly scope?: (record: DynamoDBRecord) => boolean;
  /** Where checkpoints are kept across restarts; in memory when omitted. */
  readonly checkpointFile?: string;
  /** The local on-failure destination: one JSON line per record given up on. */
  readonly failureFile?: string;
  /** For a stream without checkpoints. Default TRIM_HORIZON. */
  readonly startingPosition?: StartingPosition;
  /** Pause between polls once caught up. Default 200 ms. */
  readonly intervalMs?: number;
  /** Records per invocation. Default 100 (Lambda's default for streams). */
  readonly batchSize?: number;
  /** Attempts per batch before giving up. Default 5. */
  readonly maxAttempts?: number;
  /** Split a batch whose invocation failed as a whole and retry the halves (Lambda's BisectBatchOnFunctionError). Default false. */
  readonly bisectBatchOnError?: boolean;
  /** Pause before retry number `attempt` (2, 3…). Default 100 ms × 2^(attempt-2), at most 2 s. */
  readonly retryDelayMs?: (attempt: number) => number;
  /** The function timeout. Default 60 s. */
  readonly timeoutMs?: number;
  /** The region in records and the context. Default us-east-1. */
  readonly region?: string;
  /** Defaults to a JSON line on stdout; `false` for silence. */
  readonly log?: ((entry: StreamPollerLogEntry) => void) | false;
}

export interface StreamPoller {
  /** The stream being read (it changes if the table's stream is replaced). */
  readonly streamArn: string | undefined;
  /**
   * Resolves once everything written to the table before the call has been read and every batch
   * that came of it has settled (succeeded, or given up on after its retries).
   */
  idle(): Promise<void>;
  /** The last event handed to the handler (a copy), by the poller or by {@link replay}. */
  lastEvent(): DynamoDBStreamEvent | undefined;
  /** Invokes the handler once more with an event (e.g. the last one), between the poller's own batches. */
  replay(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse | void>;
  /** Stops polling; waits for a running invocation and saves the checkpoints. */
  stop(): Promise<void>;
}

interface ShardState {
  readonly id: string;
  readonly parentId: string | undefined;
  startAt: StartingPosition;
  iterator: string | undefined;
  /** Last sequence number handled (processed, filtered out or given up on). */
  checkpoint: string | undefined;
  /** Last sequence number read from the stream. */
  lastRead: string | undefined;
  /** GetRecords said the shard is closed and we have read all of it. */
  closedRead: boolean;
  /** Closed, read and handled: nothing more will come from it. */
  finished: boolean;
  /** Read, passed the filter, not yet handled. */
  pending: DynamoDBRecord[];
  /** The record the current batch starts with and how often a batch starting there failed. */
  head: { sequenceNumber: string; attempts: number } | undefined;
  /** Records in the next batch; below `batchSize` while a failed batch is being bisected. */
  limit: number;
}

interface SavedCheckpoints {
  readonly streamArn: string;
  readonly shards: Record<string, { sequenceNumber?: string; finished?: boolean; latest?: boolean }>;
}

type InvokeOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly failed: 'all' | readonly string[]; readonly reason: string };

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

function sequenceOrder(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** AttributeValues as they travel in Lambda's JSON event: binary as base64. */
function lambdaJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(lambdaJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) if (inner !== undefined) out[key] = lambdaJson(inner);
    return out;
  }
  return value;
}

/** A GetRecords record as the Lambda event carries it. */
export function toLambdaRecord(record: StreamsRecord, streamArn: string, region: string): DynamoDBRecord {
  const data = record.dynamodb ?? {};
  const created = data.ApproximateCreationDateTime;
  const images = lambdaJson({ Keys: data.Keys, NewImage: data.NewImage, OldImage: data.OldImage }) as Pick<
    NonNullable<DynamoDBRecord['dynamodb']>,
    'Keys' | 'NewImage' | 'OldImage'
  >;
  return {
    eventID: record.eventID ?? randomUUID(),
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(created === undefined ? {} : { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) }),
      ...images,
      SequenceNumber: data.SequenceNumber!,
      SizeBytes: data.SizeBytes ?? 0,
      StreamViewType: (data.StreamViewType ?? 'NEW_AND_OLD_IMAGES') as NonNullable<DynamoDBRecord['dynamodb']>['StreamViewType'],
    },
    ...(record.userIdentity ? { userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId } } : {}),
  };
}

async function appendLines(file: string, lines: readonly unknown[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Starts polling; resolves once the stream's shards are positioned (LATEST means "from now"). */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const {
    endpoint,
    tableName,
    handler,
    functionName = 'evaluator',
    checkpointFile,
    failureFile,
    startingPosition = 'TRIM_HORIZON',
    intervalMs = 200,
    batchSize = 100,
    maxAttempts = 5,
    bisectBatchOnError = false,
    retryDelayMs = (attempt: number) => Math.min(100 * 2 ** (attempt - 2), 2_000),
    timeoutMs = 60_000,
    region = LOCAL_REGION,
  } = options;
  const filter = compileFilter(options.filterPatterns ?? evaluatorFilterPatterns);
  const scope = options.scope ?? (() => true);
  const log =
    options.log === false ? () => undefined : (options.log ?? ((entry: StreamPollerLogEntry) => process.stdout.write(`${JSON.stringify(entry)}\n`)));
  const emit = (event: string, fields: Record<string, unknown> = {}): void =>
    log({ time: new Date().toISOString(), source: 'stream', event, function: functionName, ...fields });

  const clientConfig = { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 };
  const dynamodb = new DynamoDBClient(clientConfig);
  const streams = new DynamoDBStreamsClient(clientConfig);
  const functionContext = (): Context =>
    lambdaContext({ functionName: `client-messages-local-${functionName}`, requestId: randomUUID(), region, timeoutMs });

  // -------------------------------------------------------------------------------------------
  // Checkpoints

  let saved: SavedCheckpoints | undefined;
  if (checkpointFile) {
    try {
      const parsed = JSON.parse(await readFile(checkpointFile, 'utf8')) as SavedCheckpoints;
      if (typeof parsed?.streamArn === 'string' && parsed.shards && typeof parsed.shards === 'object') saved = parsed;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        emit('checkpoints-unreadable', { file: checkpointFile, error: errorText(error) });
      }
    }
  }

  let streamArn: string | undefined;
  /** Whether shards of the current stream without a checkpoint start at `startingPosition` (first sight of the stream). */
  let firstSight = true;
  const shards = new Map<string, ShardState>();
  let dirty = false;
  let needDescribe = true;
  let lastDescribe = 0;

  const snapshot = (): SavedCheckpoints | undefined =>
    streamArn === undefined
      ? undefined
      : {
          streamArn,
          shards: Object.fromEntries(
            [...shards.values()].map((shard) => [
              shard.id,
              {
                ...(shard.checkpoint ? { sequenceNumber: shard.checkpoint } : {}),
                ...(shard.finished ? { finished: true } : {}),
                ...(shard.startAt === 'LATEST' && !shard.checkpoint ? { latest: true } : {}),
              },
            ]),
          ),
        };

  let saving: Promise<void> = Promise.resolve();
  const saveCheckpoints = async (): Promise<void> => {
    if (!dirty) return;
    dirty = false;
    const data = snapshot();
    if (!checkpointFile || !data) return;
    saving = saving.then(async () => {
      await mkdir(dirname(checkpointFile), { recursive: true });
      const temporary = `${checkpointFile}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify(data, null, 2)}\n`);
      await rename(temporary, checkpointFile);
    });
    await saving.catch((error: unknown) => emit('checkpoints-not-saved', { file: checkpointFile, error: errorText(error) }));
  };

  // -------------------------------------------------------------------------------------------
  // Shards

  const describeShards = async (arn: string): Promise<Shard[]> => {
    const all: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: arn, ...(exclusiveStartShardId ? { ExclusiveStartShardId: exclusiveStartShardId } : {}) }),
      );
      all.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return all;
  };

  let reportedNoStream = false;
  const refresh = async (): Promise<void> => {
    needDescribe = false;
    lastDescribe = Date.now();
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    const arn = Table?.StreamSpecification?.StreamEnabled ? Table.LatestStreamArn : undefined;
    if (!arn) {
      if (!reportedNoStream) emit('no-stream', { table: tableName, message: `Table ${tableName} has no stream enabled; nothing to poll` });
      reportedNoStream = true;
      return;
    }
    reportedNoStream = false;
    if (arn !== streamArn) {
      if (streamArn !== undefined) {
        emit('stream-replaced', { previous: streamArn, streamArn: arn });
        firstSight = false; // a stream created while we run: read all of it
      }
      streamArn = arn;
      shards.clear();
      dirty = true;
    }
    const savedShards = saved?.streamArn === arn ? saved.shards : undefined;
    const useStartingPosition = firstSight && savedShards === undefined;
    const listed = await describeShards(arn);
    const listedIds = new Set(listed.map((shard) => shard.ShardId!));
    for (const id of shards.keys()) if (!listedIds.has(id)) shards.delete(id); // trimmed away
    for (const shard of listed) {
      const id = shard.ShardId!;
      if (shards.has(id)) continue;
      const fromFile = savedShards?.[id];
      const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
      const state: ShardState = {
        id,
        parentId: shard.ParentShardId,
        startAt: fromFile?.latest || (useStartingPosition && startingPosition === 'LATEST') ? 'LATEST' : 'TRIM_HORIZON',
        iterator: undefined,
        checkpoint: fromFile?.sequenceNumber,
        lastRead: fromFile?.sequenceNumber,
        closedRead: false,
        finished: fromFile?.finished === true || (useStartingPosition && startingPosition === 'LATEST' && closed),
        pending: [],
        head: undefined,
        limit: batchSize,
      };
      shards.set(id, state);
      dirty = true;
    }
    firstSight = false;
  };

  const acquireIterator = async (shard: ShardState): Promise<void> => {
    const after = shard.lastRead ?? shard.checkpoint;
    const type: ShardIteratorType = after ? 'AFTER_SEQUENCE_NUMBER' : shard.startAt;
    try {
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.id, ShardIteratorType: type, ...(after ? { SequenceNumber: after } : {}) }),
      );
      shard.iterator = ShardIterator;
      if (!ShardIterator) shard.closedRead = true;
    } catch (error) {
      if (error instanceof TrimmedDataAccessException && after) {
        emit('checkpoint-trimmed', { shard: shard.id, sequenceNumber: after, message: 'records after the checkpoint were trimmed; reading from the oldest kept' });
        shard.lastRead = undefined;
        shard.checkpoint = undefined;
        shard.startAt = 'TRIM_HORIZON';
        return acquireIterator(shard);
      }
      if (error instanceof ResourceNotFoundException) {
        shard.finished = true;
        needDescribe = true;
        return;
      }
      throw error;
    }
  };

  const eligible = (shard: ShardState): boolean => {
    if (shard.finished) return false;
    if (shard.parentId === undefined) return true;
    const parent = shards.get(shard.parentId);
    return parent === undefined || parent.finished;
  };

  // -------------------------------------------------------------------------------------------
  // Invocation

  let latestEvent: DynamoDBStreamEvent | undefined;

  const invoke = async (records: readonly DynamoDBRecord[], fields: Record<string, unknown>): Promise<{ outcome: InvokeOutcome; response: DynamoDBBatchResponse | void }> => {
    const event: DynamoDBStreamEvent = { Records: structuredClone([...records]) };
    latestEvent = structuredClone(event);
    const context = functionContext();
    const started = performance.now();
    let response: DynamoDBBatchResponse | void;
    let outcome: InvokeOutcome;
    try {
      response = await invokeWithTimeout(() => handler(event, context), timeoutMs, functionName);
      outcome = interpret(response, records);
    } catch (error) {
      response = undefined;
      outcome = { ok: false, failed: 'all', reason: errorText(error) };
    }
    emit('invoke', {
      requestId: context.awsRequestId,
      ...fields,
      records: records.length,
      firstSequenceNumber: records[0]?.dynamodb?.SequenceNumber,
      lastSequenceNumber: records.at(-1)?.dynamodb?.SequenceNumber,
      ms: Math.round(performance.now() - started),
      result: outcome.ok ? 'ok' : outcome.failed === 'all' ? 'failed' : 'partial',
      ...(outcome.ok ? {} : { failed: outcome.failed === 'all' ? records.length : outcome.failed.length, error: outcome.reason }),
    });
    return { outcome, response };
  };

  /** Lambda's reading of a response: any invalid item identifier fails the whole batch. */
  const interpret = (response: DynamoDBBatchResponse | void, records: readonly DynamoDBRecord[]): InvokeOutcome => {
    const failures = response?.batchItemFailures;
    if (failures === undefined || failures === null || (Array.isArray(failures) && failures.length === 0)) return { ok: true };
    if (!Array.isArray(failures)) return { ok: false, failed: 'all', reason: 'batchItemFailures is not a list' };
    const inBatch = new Set(records.map((record) => record.dynamodb?.SequenceNumber));
    const failed: string[] = [];
    for (const failure of failures) {
      const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
      if (typeof id !== 'string' || id === '' || !inBatch.has(id)) {
        return { ok: false, failed: 'all', reason: `invalid batchItemFailures entry ${JSON.stringify(failure)}: the whole batch counts as failed` };
      }
      failed.push(id);
    }
    return { ok: false, failed, reason: `handler reported ${failed.length} failed record(s)` };
  };

  let stopped = false;
  const stopController = new AbortController();

  const sleep = async (ms: number, signal: AbortSignal): Promise<void> => {
    await delay(ms, undefined, { signal }).catch(() => undefined);
  };

  /** Hands the next batch of a shard to the handler and applies the outcome. */
  const processBatch = async (shard: ShardState): Promise<void> => {
    const batch = shard.pending.slice(0, shard.limit);
    const headSequence = batch[0]!.dynamodb!.SequenceNumber!;
    if (shard.head?.sequenceNumber !== headSequence) shard.head = { sequenceNumber: headSequence, attempts: 0 };
    const attempt = ++shard.head.attempts;
    const { outcome } = await invoke(batch, { shard: shard.id, attempt });

    /** The first `count` pending records are handled: drop them and move the checkpoint past them. */
    const settleThrough = (count: number): void => {
      const last = shard.pending[count - 1]!;
      shard.pending.splice(0, count);
      shard.checkpoint = shard.pending.length === 0 ? shard.lastRead : last.dynamodb!.SequenceNumber;
      dirty = true;
    };

    if (outcome.ok) {
      shard.head = undefined;
      shard.limit = batchSize;
      settleThrough(batch.length);
      return;
    }

    if (bisectBatchOnError && outcome.failed === 'all' && batch.length > 1) {
      shard.limit = Math.ceil(batch.length / 2);
      shard.head.attempts--; // a split is not a retry
      emit('bisect', { shard: shard.id, records: batch.length, nextBatch: shard.limit, fromSequenceNumber: headSequence });
      await sleep(retryDelayMs(2), stopController.signal);
      return;
    }

    let firstFailed = 0;
    if (outcome.failed !== 'all') {
      const lowest = [...outcome.failed].sort(sequenceOrder)[0]!;
      firstFailed = batch.findIndex((record) => record.dynamodb?.SequenceNumber === lowest);
    }
    if (firstFailed > 0) {
      // Lambda checkpoints what came before the lowest failed record and retries from it.
      settleThrough(firstFailed);
      shard.head = { sequenceNumber: batch[firstFailed]!.dynamodb!.SequenceNumber!, attempts: 1 };
    }
    const attempts = shard.head!.attempts;
    if (attempts >= maxAttempts) {
      const rest = batch.slice(firstFailed);
      const failedRecords = outcome.failed === 'all' ? rest : rest.filter((record) => outcome.failed.includes(record.dynamodb!.SequenceNumber!));
      if (failureFile) {
        const time = new Date().toISOString();
        await appendLines(
          failureFile,
          failedRecords.map((record) => ({ time, function: functionName, streamArn, shard: shard.id, attempts, reason: outcome.reason, record })),
        ).catch((error: unknown) => emit('failure-file-not-written', { file: failureFile, error: errorText(error) }));
      }
      emit('gave-up', {
        shard: shard.id,
        attempts,
        records: failedRecords.length,
        sequenceNumbers: failedRecords.map((record) => record.dynamodb?.SequenceNumber),
        reason: outcome.reason,
        ...(failureFile ? { failureFile } : {}),
      });
      shard.head = undefined;
      shard.limit = batchSize;
      settleThrough(rest.length);
      return;
    }
    const wait = retryDelayMs(attempts + 1);
    emit('retry', { shard: shard.id, nextAttempt: attempts + 1, fromSequenceNumber: shard.head!.sequenceNumber, inMs: wait });
    await sleep(wait, stopController.signal);
  };

  /** Reads pages until the batch is full, the shard is caught up or it is closed. */
  const fill = async (shard: ShardState): Promise<void> => {
    for (let expired = 0; ; ) {
      if (shard.iterator === undefined) {
        await acquireIterator(shard);
        if (shard.iterator === undefined) return;
      }
      let page;
      try {
        page = await streams.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 1_000 }));
      } catch (error) {
        if ((error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) && expired++ < 3) {
          shard.iterator = undefined;
          if (error instanceof TrimmedDataAccessException && shard.lastRead === undefined) {
            // Nothing read from this shard yet, so whatever it holds now came after we positioned
            // ourselves: read it from the start. (DynamoDB Local answers this way when the first
            // record of a shard that was empty when the iterator was made arrives: sequence numbers
            // are shared by all its tables, so the record's number is past the shard's start.)
            shard.startAt = 'TRIM_HORIZON';
          }
          continue;
        }
        throw error;
      }
      const records = page.Records ?? [];
      for (const raw of records) {
        const record = toLambdaRecord(raw, streamArn!, region);
        shard.lastRead = record.dynamodb!.SequenceNumber;
        if (filter(record) && scope(record)) shard.pending.push(record);
      }
      shard.iterator = page.NextShardIterator;
      if (shard.iterator === undefined) {
        shard.closedRead = true;
        return;
      }
      if (records.length === 0 || shard.pending.length >= batchSize) return;
    }
  };

  /** Reads and handles a shard until it is caught up (or finished). */
  const drain = async (shard: ShardState): Promise<void> => {
    while (!stopped) {
      if (shard.pending.length < batchSize && !shard.closedRead) await fill(shard);
      if (stopped) return;
      if (shard.pending.length === 0) {
        if (shard.lastRead !== undefined && shard.lastRead !== shard.checkpoint) {
          shard.checkpoint = shard.lastRead; // only filtered-out records since the last batch
          dirty = true;
        }
        if (shard.closedRead) {
          shard.finished = true;
          dirty = true;
          needDescribe = true; // its children may be waiting
        }
        return;
      }
      await processBatch(shard);
    }
  };

  /** One round over the stream; true when it ended caught up on every shard it could read. */
  const pass = async (thorough: boolean): Promise<boolean> => {
    if (needDescribe || thorough || Date.now() - lastDescribe > 2_000) await refresh();
    if (streamArn === undefined) return !needDescribe;
    for (const shard of [...shards.values()]) {
      if (stopped) return false;
      if (eligible(shard)) await drain(shard);
    }
    await saveCheckpoints();
    return !needDescribe;
  };

  // -------------------------------------------------------------------------------------------
  // The loop, idle waiters and the lock shared with replay()

  let exclusive: Promise<unknown> = Promise.resolve();
  const withLock = <T>(work: () => Promise<T>): Promise<T> => {
    const run = exclusive.then(work);
    exclusive = run.catch(() => undefined);
    return run;
  };

  let waiters: Array<() => void> = [];
  let wake = new AbortController();

  const loop = async (): Promise<void> => {
    let errorsInRow = 0;
    while (!stopped) {
      const waiting = waiters;
      waiters = [];
      let caughtUp = false;
      try {
        caughtUp = await withLock(() => pass(waiting.length > 0));
        errorsInRow = 0;
      } catch (error) {
        errorsInRow++;
        if (!stopped) emit('poll-error', { error: errorText(error), retryInMs: Math.min(500 * errorsInRow, 5_000) });
        waiters.unshift(...waiting);
        await sleep(Math.min(500 * errorsInRow, 5_000), stopController.signal);
        continue;
      }
      if (caughtUp) for (const resolve of waiting) resolve();
      else waiters.unshift(...waiting);
      if (!caughtUp || waiters.length > 0) continue;
      wake = new AbortController();
      await sleep(intervalMs, AbortSignal.any([wake.signal, stopController.signal]));
    }
  };

  // Position the shards before returning, so LATEST means "from the moment startStreamPoller resolved".
  try {
    await refresh();
    for (const shard of shards.values()) {
      if (eligible(shard) && shard.startAt === 'LATEST' && shard.checkpoint === undefined) await acquireIterator(shard);
    }
    await saveCheckpoints();
  } catch (error) {
    dynamodb.destroy();
    streams.destroy();
    throw error;
  }

  const running = loop();

  return {
    get streamArn() {
      return streamArn;
    },
    idle: () =>
      stopped
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiters.push(resolve);
            wake.abort();
          }),
    lastEvent: () => (latestEvent === undefined ? undefined : structuredClone(latestEvent)),
    replay: (event) =>
      withLock(async () => {
        const { response } = await invoke(event.Records, { replay: true });
        return response;
      }),
    stop: async () => {
      if (stopped) return running;
      stopped = true;
      stopController.abort();
      await running;
      await exclusive;
      dirty = true;
      await saveCheckpoints();
      for (const resolve of waiters.splice(0)) resolve();
      dynamodb.destroy();
      streams.destroy();
    },
  };
}
