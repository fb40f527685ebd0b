import * as z from 'zod';
import { clientClaims, clientKind, type Client } from '#domain/clients.ts';
import { DomainError } from '#domain/errors.ts';
import { fileDigestOf, importedClientIdOf, parseImportedClientId } from '#domain/identities.ts';
import { decodeCsv, parseCsv, type CsvRow } from '#domain/imports/csv.ts';
import { columnIndexes } from '#domain/imports/mapping.ts';
import { readRow, type ImportedClient, type RowContext } from '#domain/imports/rows.ts';
import {
  checkpointed,
  clientImportKind,
  importChunkId,
  importChunkKind,
  importChunkPrefix,
  importChunkRows,
  importReportKey,
  newClientFields,
  personKeys,
  problemsOf,
  reportCsv,
  updatedClientFields,
  type ClientImport,
  type ImportProblem,
  type RowOutcome,
} from '#domain/imports/client-import.ts';
import { claimChanges, type RecordStore } from '#domain/record-store.ts';
import { newRecord, revise } from '#domain/record.ts';
import type { AppDeps } from '#http/deps.ts';
import { clientFieldDefinitions } from '#services/client-field-definitions.ts';
import { tenantSettings } from '#services/tenant-settings.ts';

/**
 * The import worker's work: one chunk of an import per queue message. It reads the file, writes the
 * chunk's clients, checkpoints the import (counts, report rows, where to go on) in one conditional
 * write, and queues the next chunk. Any crash before the checkpoint redoes the chunk: each row's
 * client has an id made from the file and the line, and every write is conditional, so a redone
 * row finds its client made and counts it once. Imported clients are client records, which the
 * rule evaluator never reads (the stream filter passes no client), so no automated message goes.
 */

export type ImportDeps = Pick<AppDeps, 'store' | 'documents' | 'importQueue' | 'now'>;

/** What the import queue carries: the import, and the row its chunk starts at (a stale message names a row already done). */
export const ImportStep = z.strictObject({ tenantId: z.string().min(1), importId: z.string().min(1), fromRow: z.number().int().min(0) });
export type ImportStep = z.infer<typeof ImportStep>;

export const importStepMessage = (step: ImportStep): { id: string; body: string } => ({ id: `${step.importId}@${step.fromRow}`, body: JSON.stringify(step) });

/** Rows of one chunk written at once: DynamoDB takes them in parallel, and each is a transaction of its own. */
const rowConcurrency = 16;
/** Tries of one row when another write to the same client or claim came between its read and its write. */
const rowAttempts = 4;

async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

interface RowJob {
  readonly tenantId: string;
  readonly job: ClientImport;
  readonly digest: string;
  readonly store: RecordStore;
  readonly now: Date;
}

const isCode = (error: unknown, ...codes: string[]): error is DomainError => error instanceof DomainError && codes.includes(error.code);

/** The client a row names by email, then by phone. */
async function matchOf(store: RecordStore, tenantId: string, client: ImportedClient): Promise<string | undefined> {
  for (const claim of clientClaims({ ...client })) {
    const owner = await store.claimOwner(tenantId, claim);
    if (owner) return owner.id;
  }
  return undefined;
}

/** One row's client: created, found made by this row already, or matched and updated or skipped. */
async function importRow(row: CsvRow, client: ImportedClient, context: RowJob): Promise<RowOutcome> {
  const { tenantId, job, store, now } = context;
  const rowId = importedClientIdOf({ digest: context.digest, line: row.line });
  for (let attempt = 0; attempt < rowAttempts; attempt++) {
    let matched = await matchOf(store, tenantId, client);
    if (matched === undefined) {
      const fields = newClientFields(client, job);
      try {
        await store.put(tenantId, clientKind, newRecord(fields, rowId, now), { expected: 'absent', claims: clientClaims(fields) });
        return { outcome: 'created' };
      } catch (error) {
        if (isCode(error, 'duplicate', 'transaction_conflict')) continue; // someone took the email or phone meanwhile: match again
        if (!isCode(error, 'version_mismatch')) throw error;
        matched = rowId; // this row's client exists: made by an earlier try, or an earlier import of the same file
      }
    }
    const earlier = parseImportedClientId(matched);
    if (earlier?.digest === context.digest && earlier.line < row.line) {
      return { outcome: 'skipped', reason: 'duplicate', message: `The same person as line ${earlier.line} (same email or phone): imported once, from that line` };
    }
    const current = await store.get(tenantId, clientKind, matched);
    if (!current) continue; // deleted since it was matched
    // Made by this import (a chunk redone after a crash), not found from an earlier one.
    if (matched === rowId && current.createdAt >= job.createdAt) return { outcome: 'created' };
    if (job.onMatch === 'skip') return { outcome: 'skipped', reason: 'exists', message: `Matches client ${current.id} by email or phone; onMatch is skip` };
    const updated = updatedClientFields(current, client);
    if (JSON.stringify(updated) === JSON.stringify(current)) return { outcome: 'updated' };
    try {
      await store.put(tenantId, clientKind, revise(updated, {}, now) as Client, {
        expected: current.version,
        ...claimChanges(clientClaims(current), clientClaims(updated)),
        replaces: current,
      });
      return { outcome: 'updated' };
    } catch (error) {
      if (isCode(error, 'version_mismatch', 'transaction_conflict')) continue;
      if (isCode(error, 'duplicate')) return { outcome: 'failed', reason: 'conflict', message: `Matches client ${current.id}, but ${error.message}` };
      throw error;
    }
  }
  return { outcome: 'failed', reason: 'conflict', message: 'The matching client kept changing while the import wrote it; import this row again' };
}

/**
 * The outcomes of a chunk's rows, in order. Rows of the chunk that are the same person as an
 * earlier row of it are told apart here, before any write, so the earlier line always wins; the
 * others go to the store in parallel.
 */
async function chunkOutcomes(rows: readonly CsvRow[], rowContext: RowContext, context: RowJob): Promise<RowOutcome[]> {
  const firstLineOf = new Map<string, number>();
  const readings = rows.map((row) => {
    const reading = readRow(row, rowContext);
    if (!reading.ok) return { outcome: 'failed', reason: reading.reason, message: reading.message } as const;
    const keys = personKeys(reading.client);
    const first = keys.map((key) => firstLineOf.get(key)).find((line) => line !== undefined);
    if (first !== undefined) return { outcome: 'skipped', reason: 'duplicate', message: `The same person as line ${first} (same email or phone): imported once, from that line` } as const;
    for (const key of keys) firstLineOf.set(key, row.line);
    return reading.client;
  });
  return inParallel(rows, rowConcurrency, (row, i) => {
    const reading = readings[i]!;
    return 'outcome' in reading ? Promise.resolve(reading) : importRow(row, reading, context);
  });
}

/** Every report row of the import, earlier chunks' from the store and this chunk's. */
async function allProblems(deps: ImportDeps, tenantId: string, importId: string, last: readonly ImportProblem[]): Promise<ImportProblem[]> {
  const problems: ImportProblem[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.list(tenantId, importChunkKind, { order: { by: 'id', prefix: importChunkPrefix(importId) }, limit: 100, ...(cursor ? { cursor } : {}) });
    for (const chunk of page.items) problems.push(...chunk.problems);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return [...problems, ...last];
}

export type StepResult = 'continued' | 'completed' | 'stale' | 'failed';

/** Runs the chunk a message names; resolves what became of the import. */
export async function runImportStep(step: ImportStep, deps: ImportDeps): Promise<StepResult> {
  const { tenantId, importId } = step;
  const job = await deps.store.get(tenantId, clientImportKind, importId);
  if (!job || job.status === 'completed' || job.status === 'failed') return 'stale';
  if (job.nextRow !== step.fromRow) {
    // This message's chunk is checkpointed but the worker may have stopped before queueing the
    // next one: queue it again (a second copy of it finds its chunk done, or loses the checkpoint).
    if (job.nextRow === Math.min(step.fromRow + importChunkRows, job.totalRows)) await deps.importQueue.enqueue([importStepMessage({ tenantId, importId, fromRow: job.nextRow })]);
    return 'stale';
  }
  const now = deps.now();
  const bytes = await deps.documents.read(job.storageKey);
  if (!bytes) return failImport(deps, tenantId, job, 'The file to import is no longer in storage');
  const parsed = parseCsv(decodeCsv(bytes).text, job.delimiter);
  const [settings, fields] = await Promise.all([tenantSettings(deps, tenantId), clientFieldDefinitions(deps, tenantId)]);
  const rowContext: RowContext = { columns: columnIndexes(job.mapping, parsed.header), defaultCountry: settings.defaultCountry, fields };
  const rows = parsed.rows.slice(job.nextRow, job.nextRow + importChunkRows);
  const outcomes = await chunkOutcomes(rows, rowContext, { tenantId, job, digest: fileDigestOf(bytes), store: deps.store, now });

  const problems = problemsOf(rows, outcomes);
  const last = job.nextRow + rows.length >= job.totalRows;
  let reportKey: string | undefined;
  if (last) {
    reportKey = importReportKey(tenantId, importId);
    await deps.documents.write(reportKey, reportCsv(await allProblems(deps, tenantId, importId, problems)), 'text/csv; charset=utf-8');
  }
  const next = checkpointed(job, rows, outcomes, now, reportKey);
  try {
    await deps.store.put(tenantId, clientImportKind, next, {
      expected: job.version,
      alsoPut: [{ kind: importChunkKind, record: newRecord({ problems }, importChunkId(importId, job.nextRow), now), expected: 'absent' }],
    });
  } catch (error) {
    // Another delivery of this message checkpointed the chunk first; it goes on from there.
    if (isCode(error, 'version_mismatch', 'transaction_conflict')) return 'stale';
    throw error;
  }
  if (last) return 'completed';
  await deps.importQueue.enqueue([importStepMessage({ tenantId, importId, fromRow: next.nextRow })]);
  return 'continued';
}

/** Stops an import for good, saying why; the rows done so far stay done. */
export async function failImport(deps: Pick<ImportDeps, 'store' | 'now'>, tenantId: string, job: ClientImport, error: string): Promise<'failed'> {
  try {
    await deps.store.put(tenantId, clientImportKind, revise(job, { status: 'failed', error }, deps.now()), { expected: job.version });
  } catch (failure) {
    if (!isCode(failure, 'version_mismatch')) throw failure;
  }
  return 'failed';
}
