import { z } from 'zod';
import { RecordMeta } from '#domain/record.ts';

/**
 * A file a client sent through the public document widget. It is `pending` from the moment the
 * widget asks to upload until the upload is confirmed, and only then belongs to a client (and shows
 * on the card). Pending documents carry `expiresAt` (the table's TTL) so abandoned ones go away.
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

export const documentStatuses = ['pending', 'uploaded'] as const;

export const Document = z
  .object({
    /** Set once the upload is confirmed. */
    clientId: z.string().optional(),
    fileName: z.string(),
    contentType: z.enum(Object.keys(documentTypes) as [DocumentType, ...DocumentType[]]),
    size: z.number().int(),
    status: z.enum(documentStatuses),
    /** Where the bytes are in document storage. */
    storageKey: z.string(),
    note: z.string().optional(),
    uploadedAt: z.iso.datetime().optional(),
    /** Epoch seconds after which a pending document is deleted (DynamoDB TTL). */
    expiresAt: z.number().int().optional(),
  })
  .extend(RecordMeta.shape);
export type Document = z.infer<typeof Document>;

/** Every tenant's files under their own prefix, so a key can never name another tenant's file. */
export const documentStorageKey = (tenantId: string, documentId: string): string => `documents/${tenantId}/${documentId}`;
