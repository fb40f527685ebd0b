import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentStorage } from '#domain/document-storage.ts';
import { clock } from '#adapters/clock.ts';

/**
 * Local mode's document storage: files in a folder, uploaded and downloaded through the local
 * server at `/local-documents/<key>` with URLs signed like S3's (an HMAC over the method, key,
 * type, size and expiry). The local server checks them with `checkSignedRequest`.
 */

export interface FolderStorageOptions {
  readonly dir: string;
  /** The local server's origin, e.g. http://127.0.0.1:3000. */
  readonly baseUrl: string;
  readonly secret: string;
}

export const localDocumentsPath = '/local-documents/';

const signature = (secret: string, parts: readonly string[]): string => createHmac('sha256', secret).update(parts.join('\n')).digest('base64url');

/** Where a key's bytes and its metadata (content type) are kept. */
export function filesOf(dir: string, key: string): { data: string; meta: string } {
  const data = path.resolve(dir, key);
  if (!data.startsWith(path.resolve(dir) + path.sep)) throw new Error(`Key ${key} leaves the documents folder`);
  return { data, meta: `${data}.meta.json` };
}

/**
 * Keeps a file whole or not at all, as S3 does: its type first, then its bytes written aside by
 * `writeBytes` and renamed into place, so a half-written file is never read.
 */
export async function keepFile(files: { data: string; meta: string }, contentType: string | undefined, writeBytes: (partial: string) => Promise<void>): Promise<void> {
  await mkdir(path.dirname(files.data), { recursive: true });
  const partial = `${files.data}.${randomUUID()}.partial`;
  try {
    await writeBytes(partial);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  await writeFile(files.meta, JSON.stringify({ contentType }));
  await rename(partial, files.data);
}

export function folderDocumentStorage(options: FolderStorageOptions): DocumentStorage {
  const signedUrl = (method: string, key: string, params: Record<string, string>) => {
    const query = new URLSearchParams(params);
    query.set('signature', signature(options.secret, [method, key, ...Object.entries(params).map(([name, value]) => `${name}=${value}`)]));
    return `${options.baseUrl}${localDocumentsPath}${key.split('/').map(encodeURIComponent).join('/')}?${query}`;
  };
  const expiry = (seconds: number) => String(Math.floor(clock.now().getTime() / 1000) + seconds);

  return {
    async uploadUrl(key, file, expiresInSeconds) {
      const expires = expiry(expiresInSeconds);
      return {
        url: signedUrl('PUT', key, { expires, type: file.contentType, size: String(file.size) }),
        method: 'PUT',
        headers: { 'content-type': file.contentType, 'content-length': String(file.size) },
        expiresAt: new Date(Number(expires) * 1000).toISOString(),
      };
    },

    async describe(key) {
      const files = filesOf(options.dir, key);
      try {
        const { size } = await stat(files.data);
        const meta = JSON.parse(await readFile(files.meta, 'utf8')) as { contentType?: string };
        return { size, contentType: meta.contentType };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },

    async copy(fromKey, toKey) {
      const from = filesOf(options.dir, fromKey);
      const { contentType } = JSON.parse(await readFile(from.meta, 'utf8')) as { contentType?: string };
      await keepFile(filesOf(options.dir, toKey), contentType, (partial) => copyFile(from.data, partial));
    },

    async downloadUrl(key, fileName, expiresInSeconds) {
      return signedUrl('GET', key, { expires: expiry(expiresInSeconds), name: fileName });
    },

    async read(key) {
      try {
        return new Uint8Array(await readFile(filesOf(options.dir, key).data));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },

    async write(key, body, contentType) {
      await keepFile(filesOf(options.dir, key), contentType, (partial) => writeFile(partial, body));
    },
  };
}

export type SignedRequest =
  | { readonly ok: true; readonly key: string; readonly contentType?: string; readonly size?: number; readonly fileName?: string }
  | { readonly ok: false; readonly status: 403 | 404; readonly reason: string };

/** Checks a request to `/local-documents/…` the way S3 checks a presigned URL. */
export function checkSignedRequest(secret: string, method: string, url: URL, now: Date): SignedRequest {
  if (!url.pathname.startsWith(localDocumentsPath)) return { ok: false, status: 404, reason: 'not a document path' };
  const key = url.pathname.slice(localDocumentsPath.length).split('/').map(decodeURIComponent).join('/');
  const params = Object.fromEntries(url.searchParams);
  const { signature: given, ...signed } = params;
  const expected = signature(secret, [method, key, ...Object.entries(signed).map(([name, value]) => `${name}=${value}`)]);
  if (!given || given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
    return { ok: false, status: 403, reason: 'SignatureDoesNotMatch' };
  }
  if (Number(signed.expires) * 1000 < now.getTime()) return { ok: false, status: 403, reason: 'Request has expired' };
  return {
    ok: true,
    key,
    ...(signed.type ? { contentType: signed.type } : {}),
    ...(signed.size ? { size: Number(signed.size) } : {}),
    ...(signed.name ? { fileName: signed.name } : {}),
  };
}
