import * as z from 'zod';
import { DomainError, notFound } from '#domain/errors.ts';
import {
  checkArrived,
  Document,
  documentKind,
  documentUploadKey,
  pendingDocument,
  uploadedDocument,
  UploadRequest,
  uploadUrlSeconds,
  type PendingDocument,
} from '#domain/documents.ts';
import { Slug } from '#domain/settings.ts';
import { RecordId } from '#domain/values.ts';
import { errors } from '#http/record-routes.ts';
import { defineRoute } from '#http/route.ts';
import { checkedSubmission, publicTenant, receiveInbound } from '#services/receive-inbound.ts';

/**
 * The document widget, in two steps so the file's bytes never pass through the API: the widget asks
 * to upload (and gets a signed URL to PUT the file to a staging key), then confirms once the PUT is
 * done. Only the confirmation copies the file to the document's own key and makes the document the
 * client's, with its inbound item and auto-reply. The upload URL stays valid for its 15 minutes, but
 * it names the staging key only, so it can never replace a confirmed file.
 */

const base = { tag: 'Public widgets', auth: 'public' as const };

const UploadTicket = z
  .object({
    documentId: z.string(),
    upload: z.object({
      url: z.string().meta({ description: 'PUT the file’s bytes here, with exactly the headers below' }),
      method: z.literal('PUT'),
      headers: z.record(z.string(), z.string()),
      expiresAt: z.iso.datetime(),
    }),
  })
  .meta({ id: 'DocumentUpload' });

const Completed = Document.pick({ fileName: true, contentType: true, size: true, status: true, uploadedAt: true })
  .extend({ documentId: z.string() })
  .meta({ id: 'DocumentReceived' });

const completed = (document: Document): z.infer<typeof Completed> => ({
  documentId: document.id,
  status: document.status,
  fileName: document.fileName,
  contentType: document.contentType,
  size: document.size,
  ...(document.uploadedAt === undefined ? {} : { uploadedAt: document.uploadedAt }),
});

/** The other completion of a double submit already wrote the document (and with it the one inbound item). */
const documentChanged = (error: unknown): boolean =>
  error instanceof DomainError && error.code === 'version_mismatch' && (error.details as { kind?: string }).kind === documentKind;

export const documentRoutes = [
  defineRoute({
    ...base,
    method: 'POST',
    path: '/public/{slug}/documents',
    summary: 'Ask to upload a document: gives a signed URL to PUT the file to, then complete it',
    params: z.strictObject({ slug: Slug }),
    body: UploadRequest,
    // The body only describes the file; a tight cap keeps anonymous callers from making us parse large ones.
    maxBodyBytes: 16 * 1024,
    responses: { 201: { description: 'Where and how to PUT the file', schema: UploadTicket }, ...errors(400, 404, 413, 415, 429) },
    async operation(request, deps) {
      const { tenantId, settings } = await publicTenant(deps, request);
      const document = pendingDocument(request.body, { tenantId, id: deps.newId(), now: deps.now() });
      // Refused before the upload rather than at completion, so no file comes in for a submission that would be refused.
      await checkedSubmission(deps, tenantId, settings, 'document', document.submitter);
      await deps.store.put(tenantId, documentKind, document, { expected: 'absent' });
      const file = { contentType: document.contentType, size: document.size };
      const upload = await deps.documents.uploadUrl(documentUploadKey(tenantId, document.id), file, uploadUrlSeconds);
      return { status: 201, body: { documentId: document.id, upload } };
    },
  }),
  defineRoute({
    ...base,
    method: 'POST',
    path: '/public/{slug}/documents/{id}/complete',
    operationId: 'completePublicDocument',
    summary: 'Confirm an uploaded document: it joins the client’s card and the document auto-reply answers (again is a no-op)',
    params: z.strictObject({ slug: Slug, id: RecordId }),
    responses: { 200: { description: 'The document, uploaded', schema: Completed }, ...errors(400, 404, 409, 429) },
    async operation(request, deps) {
      const { tenantId, settings } = await publicTenant(deps, request);
      const current = await deps.store.get(tenantId, documentKind, request.params.id);
      if (!current) throw notFound(documentKind, request.params.id);
      if (current.status === 'uploaded') return { status: 200, body: completed(current as Document) };
      const pending = current as PendingDocument;
      const staged = documentUploadKey(tenantId, pending.id);
      checkArrived(pending, await deps.documents.describe(staged));
      // Copied before the records are written, so an uploaded document always has its file. The
      // staged file stays: a completion racing this one may still be copying it, and storage
      // expires staged files on its own.
      await deps.documents.copy(staged, pending.storageKey);
      const now = deps.now();
      try {
        const { clientId } = await receiveInbound(deps, tenantId, {
          form: 'document',
          submitter: pending.submitter,
          text: pending.note,
          entity: { kind: documentKind, id: pending.id },
          settings,
          alsoPut: (clientId) => [{ kind: documentKind, record: uploadedDocument(pending, clientId, now), expected: pending.version }],
        });
        return { status: 200, body: completed(uploadedDocument(pending, clientId, now)) };
      } catch (error) {
        if (!documentChanged(error)) throw error;
        const winner = await deps.store.get(tenantId, documentKind, pending.id);
        if (winner?.status !== 'uploaded') throw error;
        return { status: 200, body: completed(winner as Document) };
      }
    },
  }),
];
