import { S3Client } from '@aws-sdk/client-s3';
import { traced } from '#tracer';
import { s3DocumentStorage } from '#adapters/s3/document-storage.ts';
import type { DocumentStorage } from '#domain/document-storage.ts';
import { once, overrides, required } from '#wiring/core.ts';

// WHEN_REQUIRED: a presigned PUT without the SDK's default CRC32 parameters, which would bind the URL to an empty body's checksum.
const s3Documents = /* @__PURE__ */ once((): DocumentStorage => s3DocumentStorage(traced(new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' })), required('DOCUMENTS_BUCKET')));

/** Documents and import files in S3 (DOCUMENTS_BUCKET); local mode's folder is asked on each use (its server's port changes per test process). */
export const documentStorage = (): DocumentStorage => {
  const storage = (): DocumentStorage => overrides().documentStorage?.() ?? s3Documents();
  return {
    uploadUrl: (...args) => storage().uploadUrl(...args),
    describe: (key) => storage().describe(key),
    copy: (fromKey, toKey) => storage().copy(fromKey, toKey),
    downloadUrl: (...args) => storage().downloadUrl(...args),
    read: (key) => storage().read(key),
    write: (...args) => storage().write(...args),
  };
};
