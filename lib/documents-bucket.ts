import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership, type BucketProps, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { pendingDocumentSeconds } from '#domain/documents.ts';
import { documentUploadCors } from '#http/cors.ts';
import type { MessagesFunction } from './messages-function.ts';

/**
 * The key prefix of every confirmed document (`documentStorageKey` of functions/domain/documents.ts)
 * and of every staged upload (`documentUploadKey`): grants name only these keys.
 */
export const DOCUMENTS_PREFIX = 'documents/';
export const UPLOADS_PREFIX = 'uploads/';
/** Import files, their copies and their reports (`importUploadKey`, `importFileKey`, `importReportKey`). */
export const IMPORTS_PREFIX = 'imports/';

/** How long import files and reports are kept: the clients are in the table, the file is only the source. */
export const IMPORT_FILE_RETENTION = Duration.days(30);

/**
 * How long S3 keeps a staged upload: as long as its pending document waits to be completed. S3
 * counts from the upload, which comes after the pending document, so the file outlasts the wait.
 */
export const STAGED_UPLOAD_RETENTION = Duration.seconds(pendingDocumentSeconds);

/** How long a replaced or deleted document stays recoverable as a noncurrent version. */
export const NONCURRENT_VERSION_RETENTION = Duration.days(30);

/** Multipart uploads never completed (the widget uses single presigned PUTs, but S3 allows them). */
export const INCOMPLETE_UPLOAD_RETENTION = Duration.days(1);

/** Who read or wrote which document, kept as long as the API's access logs. */
export const ACCESS_LOG_RETENTION = Duration.days(90);

/** Private, owner-enforced, TLS-only (1.2+) and retained: what both buckets share. */
const PRIVATE_BUCKET: BucketProps = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  removalPolicy: RemovalPolicy.RETAIN,
};

/**
 * The files clients send through the public document widget, and their server access logs.
 *
 * Functions never stream bytes: the browser PUTs a file straight to S3 with a presigned URL that
 * signs its content type and size, to a staging key under `uploads/`; confirming the upload copies
 * it within S3 to the document's key under `documents/`, which the business fetches with a presigned
 * GET. So the API function that presigns and confirms uploads needs PutObject and GetObject (the
 * HeadObject that checks the upload, the copy's source) on staging keys and PutObject (the copy's
 * destination) on document keys; the one that presigns downloads needs GetObject on document keys.
 */
export class DocumentsBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...PRIVATE_BUCKET,
      // S3 server access logging delivers only to buckets encrypted with S3-managed keys.
      encryption: BucketEncryption.S3_MANAGED,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: ACCESS_LOG_RETENTION }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the server access logs of the documents bucket. Logging it into itself would log ' +
        'every log delivery, endlessly; a third bucket would only move the question. Only S3 log delivery writes ' +
        'here (bucket policy), nothing reads it but an operator, and its objects expire after 90 days.',
    });

    this.bucket = new Bucket(this, 'Bucket', {
      ...PRIVATE_BUCKET,
      // S3-managed keys rather than KMS: presigned PUTs and GETs would need kms:GenerateDataKey and
      // kms:Decrypt on the signing roles and a KMS request per file, and a customer key would add
      // nothing here: who may touch a document is decided by IAM on these roles and by the short
      // lifetime of each presigned URL, not by a key policy.
      encryption: BucketEncryption.S3_MANAGED,
      // A replaced or deleted document stays recoverable, as a noncurrent version, for 30 days.
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'documents-bucket/',
      cors: [
        {
          allowedOrigins: documentUploadCors.allowOrigins === '*' ? ['*'] : [...documentUploadCors.allowOrigins],
          allowedMethods: documentUploadCors.allowMethods.map((method) => HttpMethods[method as keyof typeof HttpMethods]),
          allowedHeaders: [...documentUploadCors.allowHeaders],
          exposedHeaders: [...documentUploadCors.exposeHeaders],
          maxAge: documentUploadCors.maxAgeSeconds,
        },
      ],
      // Current documents never expire: they are client records on the client card and go only
      // when the business deletes them.
      lifecycleRules: [
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: INCOMPLETE_UPLOAD_RETENTION },
        { id: 'ExpireReplacedVersions', noncurrentVersionExpiration: NONCURRENT_VERSION_RETENTION, expiredObjectDeleteMarker: true },
        // Import files and reports: only the source of clients already in the table.
        { id: 'ExpireImportFiles', prefix: IMPORTS_PREFIX, expiration: IMPORT_FILE_RETENTION, noncurrentVersionExpiration: Duration.days(1) },
        // Staged uploads: the abandoned ones, and the staged copy of every confirmed one (completion
        // leaves it, since a second completion racing the first may still be copying it). Their
        // delete markers go by the rule above once these noncurrent versions are gone.
        {
          id: 'ExpireStagedUploads',
          prefix: UPLOADS_PREFIX,
          expiration: STAGED_UPLOAD_RETENTION,
          noncurrentVersionExpiration: STAGED_UPLOAD_RETENTION,
        },
      ],
    });
  }

  /** ARN pattern of the objects under a key prefix. */
  private objectsArn(prefix: string): string {
    return this.bucket.arnForObjects(`${prefix}*`);
  }

  /**
   * Presign uploads and confirm them: PutObject (the presigned PUT) and GetObject (the HeadObject
   * that checks the upload, and the copy's source) on staging keys, PutObject on document keys (the
   * copy's destination). ListBucket too, under uploads/ only (grantListing).
   */
  grantUploads(fn: MessagesFunction): void {
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:PutObject', 's3:GetObject'], resources: [this.objectsArn(UPLOADS_PREFIX)] }),
    );
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:PutObject'], resources: [this.objectsArn(DOCUMENTS_PREFIX)] }),
    );
    this.grantListing(fn, UPLOADS_PREFIX);
    this.acknowledgeKeys(
      fn,
      UPLOADS_PREFIX,
      'presigns uploads (s3:PutObject; each URL names one key and expires within minutes) and checks and copies them on confirmation (HeadObject and the copy source, s3:GetObject)',
    );
    this.acknowledgeKeys(fn, DOCUMENTS_PREFIX, 'copies each confirmed upload to its own key (the copy destination, s3:PutObject) and presigns nothing there');
  }

  /** Presign downloads: GetObject on the document keys. */
  grantDownloads(fn: MessagesFunction): void {
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:GetObject'], resources: [this.objectsArn(DOCUMENTS_PREFIX)] }),
    );
    this.acknowledgeKeys(fn, DOCUMENTS_PREFIX, 'presigns downloads (s3:GetObject; each URL names one key and expires within minutes)');
  }

  /**
   * The imports API: presigns uploads (PutObject), reads them for the preview and the start and
   * copies them (GetObject, PutObject), presigns report downloads (GetObject); all under imports/.
   */
  grantImportFiles(fn: MessagesFunction): void {
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:PutObject', 's3:GetObject'], resources: [this.objectsArn(IMPORTS_PREFIX)] }),
    );
    this.grantListing(fn, IMPORTS_PREFIX);
    this.acknowledgeKeys(fn, IMPORTS_PREFIX, 'presigns import uploads and report downloads, reads uploaded files and copies them (s3:PutObject, s3:GetObject)');
  }

  /** The import worker: reads the import's file (GetObject) and writes its report (PutObject), under imports/. */
  grantImportWork(fn: MessagesFunction): void {
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:GetObject', 's3:PutObject'], resources: [this.objectsArn(IMPORTS_PREFIX)] }),
    );
    this.grantListing(fn, IMPORTS_PREFIX);
    this.acknowledgeKeys(fn, IMPORTS_PREFIX, 'reads the file of each import and writes its report (s3:GetObject, s3:PutObject)');
  }

  /**
   * ListBucket, limited by `s3:prefix` to keys under `prefix`: without it S3 answers the HEAD or GET
   * of a file not uploaded yet with 403 instead of the 404 the adapters take for "not there"; S3
   * asks it with the requested key as `s3:prefix`. A listing of the whole bucket, or of another
   * prefix, is refused.
   */
  private grantListing(fn: MessagesFunction, prefix: string): void {
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn], conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } } }),
    );
  }

  /** cdk-nag flags the `<prefix>*` wildcard; it is the narrowest resource these grants can name. */
  private acknowledgeKeys(fn: MessagesFunction, prefix: string, what: string): void {
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
      reason:
        `The function ${what}. Files are named at runtime (one key per uploaded file, ` +
        `${prefix}<tenant id>/<document id>), so the resource is every key under ${prefix} of ` +
        'the documents bucket, never another bucket or prefix.',
    });
  }
}
