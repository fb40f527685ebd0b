import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { s3DocumentStorage } from '#adapters/s3/document-storage.ts';
import { useClock } from '#adapters/clock.ts';

const mock = mockClient(S3Client);
beforeEach(() => mock.reset());

// Presigning reads credentials from the client; dummy ones sign fine without any AWS account.
const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
const storage = s3DocumentStorage(client, 'client-documents');
const key = 'documents/acme/01JDOC';

const now = new Date('2026-03-01T10:00:00Z');
let restoreClock: () => void;
beforeAll(() => {
  restoreClock = useClock(() => now);
});
afterAll(() => restoreClock());

describe('s3DocumentStorage describe', () => {
  it('gives the stored size and content type', async () => {
    mock.on(HeadObjectCommand, { Bucket: 'client-documents', Key: key }).resolves({ ContentLength: 2048, ContentType: 'application/pdf' });
    expect(await storage.describe(key)).toEqual({ size: 2048, contentType: 'application/pdf' });
  });

  it('gives undefined when nothing was uploaded', async () => {
    mock.on(HeadObjectCommand).rejects(new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }));
    expect(await storage.describe(key)).toBeUndefined();
  });

  it('passes other failures on', async () => {
    const denied = new S3ServiceException({ name: 'AccessDenied', $fault: 'client', message: 'Access Denied', $metadata: { httpStatusCode: 403 } });
    mock.on(HeadObjectCommand).rejects(denied);
    await expect(storage.describe(key)).rejects.toThrow('Access Denied');
  });
});

describe('s3DocumentStorage uploadUrl', () => {
  it('signs the content type and length, so S3 refuses a PUT of another type or size', async () => {
    const upload = await storage.uploadUrl(key, { contentType: 'application/pdf', size: 2048 }, 900);
    const url = new URL(upload.url);
    expect(url.hostname).toBe('client-documents.s3.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe(`/${key}`);
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(expect.arrayContaining(['content-type', 'content-length', 'host']));
    expect(upload).toMatchObject({ method: 'PUT', headers: { 'content-type': 'application/pdf', 'content-length': '2048' } });
  });

  it('expires as asked', async () => {
    const upload = await storage.uploadUrl(key, { contentType: 'image/png', size: 10 }, 900);
    const url = new URL(upload.url);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(upload.expiresAt).toBe('2026-03-01T10:15:00.000Z');
  });
});

describe('s3DocumentStorage copy', () => {
  it('copies within the bucket, keeping the source’s content type', async () => {
    mock.on(CopyObjectCommand).resolves({});
    await storage.copy('uploads/acme/01JDOC', key);
    expect(mock.commandCalls(CopyObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: 'client-documents', Key: key, CopySource: 'client-documents/uploads/acme/01JDOC', MetadataDirective: 'COPY' },
    ]);
  });

  it('URL-encodes each segment of the source key, keeping the slashes between them', async () => {
    mock.on(CopyObjectCommand).resolves({});
    await storage.copy('uploads/acme & co/ficha+1 ñ?', 'documents/acme & co/ficha+1 ñ?');
    const input = mock.commandCalls(CopyObjectCommand)[0]!.args[0].input;
    expect(input.CopySource).toBe('client-documents/uploads/acme%20%26%20co/ficha%2B1%20%C3%B1%3F');
    expect(input.Key).toBe('documents/acme & co/ficha+1 ñ?');
  });

  it('passes failures on', async () => {
    const missing = new S3ServiceException({ name: 'NoSuchKey', $fault: 'client', message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
    mock.on(CopyObjectCommand).rejects(missing);
    await expect(storage.copy('uploads/acme/01JDOC', key)).rejects.toThrow('The specified key does not exist.');
  });
});

describe('s3DocumentStorage downloadUrl', () => {
  it('is a signed GET that names the file and expires as asked', async () => {
    const url = new URL(await storage.downloadUrl(key, 'factura marzo.pdf', 300));
    expect(url.pathname).toBe(`/${key}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('response-content-disposition')).toBe("attachment; filename*=UTF-8''factura%20marzo.pdf");
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(mock.commandCalls(GetObjectCommand)).toHaveLength(0);
  });
});

describe('s3DocumentStorage read and write (import files and reports)', () => {
  const importKey = 'imports/acme/01JIMP/file.csv';

  it('reads the bytes stored at a key', async () => {
    const bytes = Uint8Array.from(Buffer.from('Nombre;Teléfono\n', 'latin1'));
    // The part of the SDK's stream body the adapter uses.
    const Body = { transformToByteArray: async () => bytes } as unknown as NonNullable<Awaited<ReturnType<S3Client['send']>>>;
    mock.on(GetObjectCommand, { Bucket: 'client-documents', Key: importKey }).resolves({ Body } as never);
    expect(await storage.read(importKey)).toEqual(bytes);
  });

  it('gives undefined when nothing is there, and passes other failures on', async () => {
    mock.on(GetObjectCommand).rejectsOnce(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } }));
    expect(await storage.read(importKey)).toBeUndefined();
    mock.on(GetObjectCommand).rejects(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', message: 'Access Denied', $metadata: { httpStatusCode: 403 } }));
    await expect(storage.read(importKey)).rejects.toThrow('Access Denied');
  });

  it('writes a body with its content type', async () => {
    mock.on(PutObjectCommand).resolves({});
    await storage.write('imports/acme/01JIMP/report.csv', 'line,outcome\r\n', 'text/csv; charset=utf-8');
    expect(mock.commandCalls(PutObjectCommand)[0]!.args[0].input).toEqual({ Bucket: 'client-documents', Key: 'imports/acme/01JIMP/report.csv', Body: 'line,outcome\r\n', ContentType: 'text/csv; charset=utf-8' });
  });
});
