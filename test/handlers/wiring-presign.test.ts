import { describe, it, expect, vi, beforeAll } from 'vitest';
import { S3Client } from '@aws-sdk/client-s3';
import { s3DocumentStorage } from '#adapters/s3/document-storage.ts';

// The S3 client the Lambdas presign uploads with (functions/wiring/s3.ts). A browser PUTs the file to
// the URL; the SDK's default (WHEN_SUPPORTED) would put the CRC32 of an empty body and its
// algorithm in the URL, which S3 then holds the upload to.
const file = { contentType: 'application/pdf', size: 2048 };
const key = 'tenants/t-1/documents/d-1/quote.pdf';
const checksumParameters = (url: string) => [...new URL(url).searchParams.keys()].filter((name) => /checksum/i.test(name));

beforeAll(() => {
  vi.stubEnv('DOCUMENTS_BUCKET', 'client-documents');
  vi.stubEnv('TABLE_NAME', 'records');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
});

describe('presigned uploads of the wired S3 client', () => {
  it('carry no x-amz-checksum-* nor x-amz-sdk-checksum-algorithm parameter', { timeout: 60_000 }, async () => {
    const { appDeps } = await import('#wiring');
    const upload = await appDeps().documents.uploadUrl(key, file, 900);
    expect(new URL(upload.url).pathname).toBe(`/${key}`);
    expect(checksumParameters(upload.url)).toEqual([]);
  });

  it('differ from the SDK default, which adds them', async () => {
    const storage = s3DocumentStorage(new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } }), 'client-documents');
    const upload = await storage.uploadUrl(key, file, 900);
    expect(checksumParameters(upload.url).map((name) => name.toLowerCase())).toEqual(expect.arrayContaining(['x-amz-sdk-checksum-algorithm']));
  });
});
