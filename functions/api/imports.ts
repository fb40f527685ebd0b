import type { AreaResource } from '#api/catalog.ts';
import * as z from 'zod';
import { conflict, DomainError, notFound } from '#domain/errors.ts';
import { decodeCsv, parseCsv, type ParsedCsv } from '#domain/imports/csv.ts';
import { ColumnMapping, columnIndexes, guessMapping } from '#domain/imports/mapping.ts';
import {
  checkImportSize,
  ClientImport,
  clientImportKind,
  importContentType,
  importUploadKey,
  importUploadSeconds,
  ImportUploadRequest,
  onMatchChoices,
  queuedImport,
  reportUrlSeconds,
} from '#domain/imports/client-import.ts';
import type { AppDeps } from '#http/deps.ts';
import { httpHandler } from '#http/http-handler.ts';
import { ErrorResponse, errors, IdParams, pageFields, pageOf, withEtag } from '#http/record-routes.ts';
import { defineRoute } from '#http/route.ts';
import { importStepMessage } from '#services/client-import.ts';
import { RecordId } from '#domain/values.ts';
import { apiDeps } from '#wiring/api.ts';
import { documentStorage } from '#wiring/s3.ts';
import { importQueue } from '#wiring/sqs.ts';
import { DownloadLink } from '#api/documents.ts';

/**
 * Importing clients from a CSV file: upload it through a signed URL, preview what the header
 * suggests, start the import, follow its progress and download its report. The import itself runs
 * in the import worker (functions/lambdas/client-import.ts), never in the request.
 */

const base = { tag: 'Imports', auth: 'tenant' as const };

const Upload = z
  .object({
    uploadId: RecordId.meta({ description: 'Name it in the preview and in POST /imports' }),
    upload: z.object({
      url: z.string(),
      method: z.literal('PUT'),
      headers: z.record(z.string(), z.string()).meta({ description: 'Send exactly these headers with the PUT (the URL signs them)' }),
      expiresAt: z.iso.datetime(),
    }),
  })
  .meta({ id: 'ImportUpload' });

const Preview = z
  .object({
    encoding: z.enum(['utf-8', 'windows-1252']).meta({ description: 'How the file was read: UTF-8 (with or without BOM), else Windows-1252 (Latin-1)' }),
    delimiter: z.enum([',', ';']),
    header: z.array(z.string()),
    rows: z.number().int().meta({ description: 'Rows after the header (blank lines are not rows)' }),
    mapping: ColumnMapping.meta({ description: 'The mapping the header suggests; `guess: true` in POST /imports uses exactly this' }),
    sample: z.array(z.array(z.string())).meta({ description: 'The first rows, cells in header order' }),
  })
  .meta({ id: 'ImportPreview' });

const StartImport = z
  .strictObject({
    uploadId: RecordId,
    mapping: ColumnMapping.optional(),
    guess: z.literal(true).optional().meta({ description: 'Use the mapping guessed from the header (see the preview) instead of giving one' }),
    onMatch: z.enum(onMatchChoices).meta({ description: 'A row whose email or phone is an existing client’s: update that client with the row’s non-empty cells, or skip the row' }),
    emailConsent: z.boolean().meta({
      description: 'Email consent of new clients whose row has no emailConsent cell; never assumed, so it must be given. SMS consent comes only from an smsConsent column, else it is off',
    }),
  })
  .superRefine((body, context) => {
    if ((body.mapping === undefined) === (body.guess === undefined)) {
      context.addIssue({ code: 'custom', path: ['mapping'], message: 'give either mapping or guess: true (exactly one)' });
    }
  })
  .meta({ id: 'StartImport' });

const unreadable = { 422: { description: 'The file cannot be read as CSV (code unreadable_file): an unclosed quote, or no header line', schema: ErrorResponse } };

const ImportRecord = ClientImport.meta({ id: 'ClientImport' });

/** The uploaded file, read; 404 when nothing was uploaded under the id. */
async function uploaded(deps: AppDeps, tenantId: string, uploadId: string): Promise<{ parsed: ParsedCsv; encoding: 'utf-8' | 'windows-1252'; size: number }> {
  const bytes = await deps.documents.read(importUploadKey(tenantId, uploadId));
  if (!bytes) throw new DomainError('not_found', `Nothing was uploaded as ${uploadId}: PUT the file to the upload URL first`, { kind: 'upload', id: uploadId });
  const decoded = decodeCsv(bytes);
  return { parsed: parseCsv(decoded.text), encoding: decoded.encoding, size: bytes.length };
}

const sameSettings = (job: ClientImport, body: z.infer<typeof StartImport>, mapping: ColumnMapping): boolean =>
  JSON.stringify([job.mapping, job.onMatch, job.emailConsent]) === JSON.stringify([mapping, body.onMatch, body.emailConsent]);

export const routes = [
  defineRoute({
    ...base,
    method: 'POST',
    path: '/imports/uploads',
    operationId: 'createImportUpload',
    summary: 'A signed URL to upload a CSV file of clients to (at most 10 MiB, about 50,000 rows)',
    body: ImportUploadRequest,
    responses: { 200: { description: 'PUT the file’s bytes to upload.url with upload.headers before upload.expiresAt', schema: Upload }, ...errors(400, 413) },
    async operation(request, deps) {
      checkImportSize(request.body);
      const uploadId = deps.newId();
      const upload = await deps.documents.uploadUrl(importUploadKey(request.tenantId, uploadId), { contentType: importContentType, size: request.body.size }, importUploadSeconds);
      return { status: 200, body: { uploadId, upload } };
    },
  }),
  defineRoute({
    ...base,
    method: 'GET',
    path: '/imports/uploads/{id}/preview',
    operationId: 'previewImport',
    summary: 'How the uploaded file reads: encoding, delimiter, header, row count, the mapping its header suggests and the first rows',
    params: IdParams,
    responses: { 200: { description: 'The preview', schema: Preview }, ...errors(400, 404), ...unreadable },
    async operation(request, deps) {
      const { parsed, encoding } = await uploaded(deps, request.tenantId, request.params.id);
      return {
        status: 200,
        body: { encoding, delimiter: parsed.delimiter, header: parsed.header, rows: parsed.rows.length, mapping: guessMapping(parsed.header), sample: parsed.rows.slice(0, 5).map((row) => row.cells) },
      };
    },
  }),
  defineRoute({
    ...base,
    method: 'POST',
    path: '/imports',
    operationId: 'startImport',
    summary: 'Starts importing an uploaded file; it runs in the background (follow it with GET /imports/{id})',
    body: StartImport,
    responses: {
      202: { description: 'Queued; the same request again answers the same import while it is still queued', schema: ImportRecord },
      ...errors(400, 404, 409),
      ...unreadable,
    },
    async operation(request, deps) {
      const { tenantId, body } = request;
      const { parsed, encoding, size } = await uploaded(deps, tenantId, body.uploadId);
      const mapping = body.mapping ?? guessMapping(parsed.header);
      columnIndexes(mapping, parsed.header, body.mapping ? 'mapping' : 'guess');
      // One import per upload: its id is the upload's, so a repeated start finds it.
      const existing = await deps.store.get(tenantId, clientImportKind, body.uploadId);
      let job = existing;
      if (existing && (existing.status !== 'queued' || !sameSettings(existing, body, mapping))) {
        throw conflict(`Import ${existing.id} was already started from this upload (it is ${existing.status}); upload the file again to import it again`);
      }
      if (!job) {
        job = queuedImport(
          { size, encoding, delimiter: parsed.delimiter, mapping, onMatch: body.onMatch, emailConsent: body.emailConsent, totalRows: parsed.rows.length },
          { tenantId, id: body.uploadId, now: deps.now() },
        );
        // The import reads its own copy: a still-valid upload URL cannot change the file mid-run.
        await deps.documents.copy(importUploadKey(tenantId, body.uploadId), job.storageKey);
        try {
          await deps.store.put(tenantId, clientImportKind, job, { expected: 'absent' });
        } catch (error) {
          // A start of the same upload at the same moment made it first.
          if (error instanceof DomainError && error.code === 'version_mismatch') throw conflict(`Import ${job.id} was just started from this upload by another request`);
          throw error;
        }
      }
      // Queued after the import is stored, so the worker finds it; a repeat queues again what a failed queueing left.
      await deps.importQueue.enqueue([importStepMessage({ tenantId, importId: job.id, fromRow: 0 })]);
      return withEtag(job, 202);
    },
  }),
  defineRoute({
    ...base,
    method: 'GET',
    path: '/imports',
    summary: 'The business’s imports, newest first',
    query: z.strictObject(pageFields),
    responses: { 200: { description: 'A page of imports', schema: pageOf(ImportRecord) }, ...errors(400) },
    async operation(request, deps) {
      const page = await deps.store.list(request.tenantId, clientImportKind, {
        order: { by: 'created', newestFirst: true },
        limit: request.query.limit,
        ...(request.query.cursor === undefined ? {} : { cursor: request.query.cursor }),
      });
      return { status: 200, body: page };
    },
  }),
  defineRoute({
    ...base,
    method: 'GET',
    path: '/imports/{id}',
    summary: 'An import’s progress (rows read, created, updated, skipped, failed) and its first report rows',
    params: IdParams,
    responses: { 200: { description: 'The import', schema: ImportRecord }, ...errors(400, 404) },
    async operation(request, deps) {
      const job = await deps.store.get(request.tenantId, clientImportKind, request.params.id);
      if (!job) throw notFound(clientImportKind, request.params.id);
      return withEtag(job);
    },
  }),
  defineRoute({
    ...base,
    method: 'GET',
    path: '/imports/{id}/report',
    operationId: 'getImportReport',
    summary: 'A link to download the report of a completed import: every row not imported, with its line and reason, as CSV',
    params: IdParams,
    responses: { 200: { description: 'The signed download link of report.csv', schema: DownloadLink }, ...errors(400, 404, 409) },
    async operation(request, deps) {
      const job = await deps.store.get(request.tenantId, clientImportKind, request.params.id);
      if (!job) throw notFound(clientImportKind, request.params.id);
      if (!job.reportKey) throw conflict(`Import ${job.id} is ${job.status}: its report is written when it completes`);
      const url = await deps.documents.downloadUrl(job.reportKey, `import-${job.id}-report.csv`, reportUrlSeconds);
      return { status: 200, body: { url, expiresAt: new Date(deps.now().getTime() + reportUrlSeconds * 1000).toISOString() } };
    },
  }),
];

/** What the area's function uses besides the table: the stack grants exactly these, and the handler wires them. */
export const uses = ['import-files', 'import-queue'] as const satisfies readonly AreaResource[];

export const handler = httpHandler(routes, apiDeps({ documents: documentStorage, importQueue }));
