import * as z from 'zod';
import { conflict, DomainError } from '#domain/errors.ts';
import { answerable, plainText, PublicText, SubmitterFields, type Submitter } from '#domain/submitter.ts';
import type { StoredObject } from '#domain/document-storage.ts';
import { newRecord, RecordMeta, revise } from '#domain/record.ts';

/**
 * A file a client sent through the public document widget. It is `pending` from the moment the
 * widget asks to upload until the upload is confirmed, and only then belongs to a client (and shows
 * on the card). The widget uploads to a staging key (`documentUploadKey`); confirming copies the
 * file to its own key (`documentStorageKey`), so a still-valid upload URL can never replace a
 * confirmed file. Pending documents carry `expiresAt` (the table's TTL) and staged files expire in
 * storage, so abandoned uploads go away.
 */

export const documentKind = 'document';

export const maxDocumentBytes = 10 * 1024 * 1024;

/** The types a client may upload, by content type, with the file extensions they go by. */
export const documentTypes = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/heic': ['heic'],
  'image/webp': ['webp'],
  'text/plain': ['txt'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
} as const satisfies Record<string, readonly string[]>;
export type DocumentType = keyof typeof documentTypes;
const acceptedTypes = Object.keys(documentTypes) as [DocumentType, ...DocumentType[]];

export const documentStatuses = ['pending', 'uploaded'] as const;

/** How long the widget has to send the bytes once it asked to upload. */
export const uploadUrlSeconds = 15 * 60;
/** How long a download link the business asked for works. */
export const downloadUrlSeconds = 5 * 60;
/** How long a pending document waits for its completion before the table's TTL removes it (and S3 its staged upload). */
export const pendingDocumentSeconds = 24 * 60 * 60;

export const DocumentContentType = z.enum(acceptedTypes, {
  error: (issue) => `type ${JSON.stringify(issue.input)} is not accepted; send one of ${acceptedTypes.join(', ')}`,
});

/**
 * The name the file is kept and downloaded under: one plain line, with no path in it and no
 * invisible characters (a right-to-left override can make `cod.exe` look like `exe.doc`).
 */
export const FileName = plainText(z.string().trim().min(1, 'must not be empty').max(200))
  .refine((name) => !/[/\\]/.test(name), 'must be a file name, without / or \\')
  .refine((name) => !/\p{Cf}/u.test(name), 'must not contain invisible formatting characters');

export const Document = z
  .object({
    /** Set once the upload is confirmed. */
    clientId: z.string().optional(),
    fileName: z.string(),
    contentType: z.enum(acceptedTypes),
    size: z.number().int(),
    status: z.enum(documentStatuses),
    /** Where the bytes are kept in document storage once the upload is confirmed. */
    storageKey: z.string(),
    note: z.string().optional(),
    uploadedAt: z.iso.datetime().optional(),
    /** Epoch seconds after which a pending document is deleted (DynamoDB TTL). */
    expiresAt: z.number().int().optional(),
  })
  .extend(RecordMeta.shape)
  .meta({ id: 'Document' });
export type Document = z.infer<typeof Document>;

/** A document waiting for its upload keeps who sent it, to match or make their card on completion. */
export type PendingDocument = Document & { readonly submitter: Submitter };

/** Every tenant's files under their own prefix, so a key can never name another tenant's file. */
export const documentStorageKey = (tenantId: string, documentId: string): string => `documents/${tenantId}/${documentId}`;

/**
 * Where the widget uploads the file before it is confirmed: apart from confirmed files, so the
 * upload URL writes only here, and under a prefix storage expires on its own.
 */
export const documentUploadKey = (tenantId: string, documentId: string): string => `uploads/${tenantId}/${documentId}`;

/** The extensions a file of the type may end in. */
const extensionIssue = (request: { fileName: string; contentType: DocumentType }): string | undefined => {
  const extensions: readonly string[] = documentTypes[request.contentType];
  const extension = /\.([^.]+)$/.exec(request.fileName)?.[1]?.toLowerCase();
  if (extension !== undefined && extensions.includes(extension)) return undefined;
  return `must end in ${extensions.map((name) => `.${name}`).join(' or ')} for type ${request.contentType}`;
};

/** What the widget sends to upload a file: who is sending it, and what the file is. */
export const UploadRequest = answerable(
  SubmitterFields.extend({
    fileName: FileName.meta({ description: 'The file’s name, with the extension of its type' }),
    contentType: DocumentContentType,
    size: z
      .number()
      .int('must be a whole number of bytes')
      .min(1, 'must be at least 1 byte: the file is empty')
      .meta({ description: `The file’s size in bytes, at most ${maxDocumentBytes} (a larger file is refused with 413)` }),
    note: PublicText(2000).optional().meta({ description: 'A note for the business about the file' }),
  }),
).superRefine((request, context) => {
  const issue = extensionIssue(request);
  if (issue) context.addIssue({ code: 'custom', path: ['fileName'], message: issue });
});
export type UploadRequest = z.infer<typeof UploadRequest>;

/** The document a request to upload makes, waiting for its bytes; 413 when the file is too large. */
export function pendingDocument(request: UploadRequest, at: { tenantId: string; id: string; now: Date }): PendingDocument {
  if (request.size > maxDocumentBytes) {
    throw new DomainError('payload_too_large', `The file is ${request.size} bytes; documents may be at most ${maxDocumentBytes} bytes (10 MiB)`, {
      size: request.size,
      maxBytes: maxDocumentBytes,
    });
  }
  const { fileName, contentType, size, note, ...submitter } = request;
  return newRecord(
    {
      fileName,
      contentType,
      size,
      ...(note === undefined ? {} : { note }),
      status: 'pending' as const,
      storageKey: documentStorageKey(at.tenantId, at.id),
      submitter,
      expiresAt: Math.floor(at.now.getTime() / 1000) + pendingDocumentSeconds,
    },
    at.id,
    at.now,
  );
}

/** Completion needs the bytes in storage, exactly as the request declared them; 409 otherwise. */
export function checkArrived(document: Pick<Document, 'size' | 'contentType'>, stored: StoredObject | undefined): void {
  if (!stored) throw conflict('The upload has not arrived: PUT the file to the upload URL first, then complete it');
  if (stored.size !== document.size || stored.contentType !== document.contentType) {
    throw conflict(
      `The upload does not match: ${document.size} bytes of ${document.contentType} were declared, ${stored.size} bytes of ${stored.contentType ?? 'no type'} arrived`,
      { declared: { size: document.size, contentType: document.contentType }, stored },
    );
  }
}

/** The document once its upload is confirmed: the client's, with no expiry and no submitter kept. */
export function uploadedDocument(pending: PendingDocument, clientId: string, now: Date): Document {
  const { submitter: _submitter, expiresAt: _expiresAt, ...document } = pending;
  return revise(document, { clientId, status: 'uploaded', uploadedAt: now.toISOString() }, now);
}
