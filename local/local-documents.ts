/**
 * Local mode's stand-in for S3 behind presigned URLs: `PUT` and `GET` on `/local-documents/<key>`,
 * checked like S3 checks a presigned URL (signature, expiry, the signed type and length), with
 * S3's XML error bodies so a widget sees the same failures locally as in AWS. Any key under the
 * folder: the widget PUTs to staging keys (`uploads/…`), the business GETs confirmed ones (`documents/…`).
 */
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { checkSignedRequest, filesOf, keepFile } from '#local/adapters/folder-storage.ts';

export interface LocalDocumentsOptions {
  /** The folder files are kept in (DOCUMENTS_DIR). */
  readonly dir: string;
  /** The secret upload and download URLs are signed with (DOCUMENTS_SIGNING_SECRET). */
  readonly secret: string;
}

export interface LocalDocumentResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
}

const s3Error = (status: number, code: string, message: string): LocalDocumentResponse => ({
  status,
  headers: { 'content-type': 'application/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
});

/** Answers one request to a `/local-documents/` path; the caller has not read its body. */
export async function localDocumentRequest(options: LocalDocumentsOptions, request: IncomingMessage, method: string, url: URL, now: Date): Promise<LocalDocumentResponse> {
  if (method !== 'PUT' && method !== 'GET') {
    request.resume();
    return s3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }
  const signed = checkSignedRequest(options.secret, method, url, now);
  if (!signed.ok) {
    request.resume();
    if (signed.status === 404) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    return s3Error(403, signed.reason === 'SignatureDoesNotMatch' ? 'SignatureDoesNotMatch' : 'AccessDenied', signed.reason);
  }
  const files = filesOf(options.dir, signed.key);
  return method === 'PUT' ? put(request, signed, files) : get(signed, files);
}

async function put(request: IncomingMessage, signed: { contentType?: string; size?: number }, files: { data: string; meta: string }): Promise<LocalDocumentResponse> {
  const declared = request.headers['content-length'];
  const contentType = request.headers['content-type'];
  // The URL signs the type and the length, so like S3 any other value breaks the signature.
  if (declared === undefined) {
    request.resume();
    return s3Error(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
  }
  if (Number(declared) !== signed.size || contentType !== signed.contentType) {
    request.resume();
    return s3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided: sign and send the same Content-Type and Content-Length.');
  }
  try {
    await keepFile(files, contentType, (partial) => pipeline(request, createWriteStream(partial)));
  } catch (error) {
    // The client went away before sending Content-Length bytes: nothing is kept.
    if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') {
      return s3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
    }
    throw error;
  }
  return { status: 200, headers: {}, body: '' };
}

async function get(signed: { fileName?: string }, files: { data: string; meta: string }): Promise<LocalDocumentResponse> {
  try {
    const [data, meta] = await Promise.all([readFile(files.data), readFile(files.meta, 'utf8')]);
    const { contentType } = JSON.parse(meta) as { contentType?: string };
    return {
      status: 200,
      headers: {
        'content-type': contentType ?? 'application/octet-stream',
        ...(signed.fileName === undefined ? {} : { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(signed.fileName)}` }),
      },
      body: data,
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    throw error;
  }
}
