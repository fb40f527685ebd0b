import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { DocumentStorage } from '#domain/document-storage.ts';
import { clock } from '#adapters/clock.ts';

/**
 * Documents in a private S3 bucket. Upload URLs sign the content type and length, so S3 refuses a
 * PUT of any other type or size; downloads are signed GETs that name the file.
 */
export function s3DocumentStorage(client: S3Client, bucket: string): DocumentStorage {
  return {
    async uploadUrl(key, file, expiresInSeconds) {
      const command = new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: file.contentType, ContentLength: file.size });
      const url = await getSignedUrl(client, command, { expiresIn: expiresInSeconds, signableHeaders: new Set(['content-type', 'content-length']) });
      return {
        url,
        method: 'PUT',
        headers: { 'content-type': file.contentType, 'content-length': String(file.size) },
        expiresAt: new Date(clock.now().getTime() + expiresInSeconds * 1000).toISOString(),
      };
    },

    async describe(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { size: head.ContentLength ?? 0, contentType: head.ContentType };
      } catch (error) {
        if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return undefined;
        throw error;
      }
    },

    async copy(fromKey, toKey) {
      // S3 reads CopySource as a URL path: each key segment encoded, the slashes between them kept.
      const source = `${bucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`;
      // COPY (S3's default, stated here because the content type must survive) keeps the source's metadata.
      await client.send(new CopyObjectCommand({ Bucket: bucket, Key: toKey, CopySource: source, MetadataDirective: 'COPY' }));
    },

    async downloadUrl(key, fileName, expiresInSeconds) {
      const disposition = `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`;
      return getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentDisposition: disposition }), { expiresIn: expiresInSeconds });
    },

    async read(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },

    async write(key, body, contentType) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    },
  };
}
