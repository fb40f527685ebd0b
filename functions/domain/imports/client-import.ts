import * as z from 'zod';
import type { Client } from '#domain/clients.ts';
import { DomainError } from '#domain/errors.ts';
import { mergeCustomFieldValues, type CustomFieldValue } from '#domain/client-fields.ts';
import { newRecord, RecordMeta, revise } from '#domain/record.ts';
import { delimiters, encodings, type CsvRow } from '#domain/imports/csv.ts';
import { ColumnMapping } from '#domain/imports/mapping.ts';
import type { ImportedClient } from '#domain/imports/rows.ts';

/**
 * A CSV import of clients. The business uploads the file (`importUploadKey`), starts the import,
 * which copies the file to the import's own key (so a still-valid upload URL cannot change it
 * mid-run) and queues it; the worker then reads it in chunks of `importChunkRows` rows, each chunk's
 * clients written, then its counts and its report rows checkpointed with the import in one write.
 * A crash between the two redoes the chunk, and the clients' ids (`importedClientIdOf`) make that
 * write nothing twice. At the end the report of every row not imported is kept as a CSV file.
 */

export const clientImportKind = 'clientImport';
/** The report rows of one chunk, kept apart from the import so no item outgrows DynamoDB's 400 KB. */
export const importChunkKind = 'importChunk';

export const maxImportBytes = 10 * 1024 * 1024;
/** Rows one worker invocation reads and writes before it checkpoints and queues the rest. */
export const importChunkRows = 500;
/** The report rows the import itself shows; all of them are in the report file. */
export const shownProblems = 100;
/** How long the upload URL works. */
export const importUploadSeconds = 15 * 60;
/** How long a report download link works. */
export const reportUrlSeconds = 5 * 60;

export const importStatuses = ['queued', 'running', 'completed', 'failed'] as const;
export const onMatchChoices = ['update', 'skip'] as const;
export const problemReasons = ['invalid', 'duplicate', 'exists', 'conflict'] as const;

export const ImportProblem = z
  .object({
    line: z.number().int().min(2).meta({ description: 'The line of the file the row starts on (the header is line 1)' }),
    outcome: z.enum(['skipped', 'failed']),
    reason: z.enum(problemReasons).meta({
      description:
        'invalid: a cell is not valid (failed); duplicate: the same person (email or phone) as an earlier row of the file (skipped); exists: matches a client already there and onMatch is skip (skipped); conflict: the update would take an email or phone another client has (failed)',
    }),
    message: z.string(),
  })
  .meta({ id: 'ImportProblem' });
export type ImportProblem = z.infer<typeof ImportProblem>;

export const ImportCounts = z
  .object({
    read: z.number().int().meta({ description: 'Rows read so far (blank lines are not rows)' }),
    created: z.number().int(),
    updated: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
  })
  .meta({ id: 'ImportCounts' });
export type ImportCounts = z.infer<typeof ImportCounts>;

const noCounts: ImportCounts = { read: 0, created: 0, updated: 0, skipped: 0, failed: 0 };

export const ClientImport = z
  .object({
    size: z.number().int().meta({ description: 'The file’s size in bytes' }),
    encoding: z.enum(encodings),
    delimiter: z.enum(delimiters),
    mapping: ColumnMapping,
    onMatch: z.enum(onMatchChoices),
    emailConsent: z.boolean(),
    status: z.enum(importStatuses),
    totalRows: z.number().int().meta({ description: 'Rows in the file, after the header' }),
    counts: ImportCounts,
    /** The first `shownProblems` report rows; the report file has them all. */
    problems: z.array(ImportProblem),
    /** Where the worker goes on: an index into the file's rows. */
    nextRow: z.number().int().meta({ description: 'Rows done so far, in file order' }),
    storageKey: z.string(),
    reportKey: z.string().optional(),
    error: z.string().optional().meta({ description: 'Why a failed import stopped' }),
    completedAt: z.iso.datetime().optional(),
  })
  .extend(RecordMeta.shape);
export type ClientImport = z.infer<typeof ClientImport>;

export const ImportChunk = z.object({ problems: z.array(ImportProblem) }).extend(RecordMeta.shape);

/** Every tenant's import files under its own prefix. */
export const importUploadKey = (tenantId: string, uploadId: string): string => `imports/${tenantId}/${uploadId}/upload.csv`;
export const importFileKey = (tenantId: string, importId: string): string => `imports/${tenantId}/${importId}/file.csv`;
export const importReportKey = (tenantId: string, importId: string): string => `imports/${tenantId}/${importId}/report.csv`;
/** A chunk's report rows: `<import id>-c<chunk>`, listed in order by the import's prefix. */
export const importChunkId = (importId: string, firstRow: number): string => `${importId}-c${String(firstRow).padStart(6, '0')}`;
export const importChunkPrefix = (importId: string): string => `${importId}-c`;

/** The upload URL signs this type, so what arrives is always it. */
export const importContentType = 'text/csv';

export const ImportUploadRequest = z
  .strictObject({
    size: z
      .number()
      .int('must be a whole number of bytes')
      .min(1, 'must be at least 1 byte: the file is empty')
      .meta({ description: `The file’s size in bytes, at most ${maxImportBytes} (10 MiB; a larger file is refused with 413)` }),
  })
  .meta({ id: 'ImportUploadRequest' });
export type ImportUploadRequest = z.infer<typeof ImportUploadRequest>;

/** 413 for a file over 10 MiB, before any URL is signed for it. */
export function checkImportSize(request: ImportUploadRequest): void {
  if (request.size > maxImportBytes) throw new DomainError('payload_too_large', `The file is ${request.size} bytes; an import may be at most ${maxImportBytes} bytes (10 MiB)`);
}

export interface ImportSettings {
  readonly size: number;
  readonly encoding: ClientImport['encoding'];
  readonly delimiter: ClientImport['delimiter'];
  readonly mapping: ColumnMapping;
  readonly onMatch: ClientImport['onMatch'];
  readonly emailConsent: boolean;
  readonly totalRows: number;
}

export function queuedImport(settings: ImportSettings, at: { tenantId: string; id: string; now: Date }): ClientImport {
  return newRecord(
    { ...settings, status: 'queued' as const, counts: noCounts, problems: [], nextRow: 0, storageKey: importFileKey(at.tenantId, at.id) },
    at.id,
    at.now,
  );
}

export type RowOutcome = { readonly outcome: 'created' | 'updated' } | { readonly outcome: 'skipped' | 'failed'; readonly reason: ImportProblem['reason']; readonly message: string };

/** The import after a chunk: counts added, the first report rows kept, and where to go on. */
export function checkpointed(job: ClientImport, rows: readonly CsvRow[], outcomes: readonly RowOutcome[], now: Date, reportKey?: string): ClientImport {
  const counts = { ...job.counts, read: job.counts.read + rows.length };
  const problems = [...job.problems];
  outcomes.forEach((result, i) => {
    counts[result.outcome]++;
    if ((result.outcome === 'skipped' || result.outcome === 'failed') && problems.length < shownProblems) {
      problems.push({ line: rows[i]!.line, outcome: result.outcome, reason: result.reason, message: result.message });
    }
  });
  const nextRow = job.nextRow + rows.length;
  const done = nextRow >= job.totalRows;
  return revise(
    job,
    { counts, problems, nextRow, status: done ? 'completed' : 'running', ...(done ? { completedAt: now.toISOString(), ...(reportKey ? { reportKey } : {}) } : {}) },
    now,
  );
}

/** The report rows of a chunk. */
export const problemsOf = (rows: readonly CsvRow[], outcomes: readonly RowOutcome[]): ImportProblem[] =>
  outcomes.flatMap((result, i) => (result.outcome === 'skipped' || result.outcome === 'failed' ? [{ line: rows[i]!.line, outcome: result.outcome, reason: result.reason, message: result.message }] : []));

const csvCell = (value: string | number): string => {
  const text = String(value);
  // A leading = + - @ would run as a formula when the business opens the report in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** The report file: every row not imported, in line order, as UTF-8 CSV with a BOM (so Excel reads its accents). */
export function reportCsv(problems: readonly ImportProblem[]): string {
  const lines = [['line', 'outcome', 'reason', 'message'], ...[...problems].sort((a, b) => a.line - b.line).map((p) => [p.line, p.outcome, p.reason, p.message])];
  return `\uFEFF${lines.map((line) => line.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** A new client from a row: consent only as the row says, else email as the import chose and SMS off. */
export function newClientFields(row: ImportedClient, job: Pick<ClientImport, 'emailConsent'>): Omit<Client, keyof RecordMeta> {
  const { emailConsent, smsConsent, status, ...fields } = row;
  return { ...fields, consent: { email: emailConsent ?? job.emailConsent, sms: smsConsent ?? false }, status: status ?? 'active' };
}

/**
 * An existing client updated from a row: what the row has replaces what the card has, what it
 * leaves empty stays; consent changes only where a column said so.
 */
export function updatedClientFields(current: Client, row: ImportedClient): Client {
  const { emailConsent, smsConsent, customFields, ...fields } = row;
  return {
    ...current,
    ...fields,
    consent: { email: emailConsent ?? current.consent.email, sms: smsConsent ?? current.consent.sms },
    customFields: mergeCustomFieldValues(current.customFields as Record<string, CustomFieldValue>, customFields),
  };
}

/** The identity keys of a row: two rows sharing one are the same person. */
export const personKeys = (row: Pick<ImportedClient, 'email' | 'phone'>): string[] => [
  ...(row.email === undefined ? [] : [`email:${row.email}`]),
  ...(row.phone === undefined ? [] : [`phone:${row.phone}`]),
];
