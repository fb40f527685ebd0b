import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership, type BucketProps, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { MessagesFunction } from './messages-function.ts';

/**
 * The key prefix of every document (`documentStorageKey` of functions/domain/documents.ts): grants
 * name only these keys.
 */
export const DOCUMENTS_PREFIX = 'documents/';

/** How long a replaced or deleted document stays recoverable as a noncurrent version. */
export const NONCURRENT_VERSION_RETENTION = Duration.days(30);

/** Multipart uploads never completed (the widget uses single presigned PUTs, but S3 allows them). */
export const INCOMPLETE_UPLOAD_RETENTION = Duration.days(1);

/** Who read or wrote which document, kept as long as the API's access logs. */
export const ACCESS_LOG_RETENTION = Duration.days(90);

/** How long a browser may cache the answer to a CORS preflight. */
const CORS_MAX_AGE_SECONDS = 3600;

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
 * signs its content type and size, and fetches it back with a presigned GET. So the API function
 * that presigns uploads needs PutObject (and GetObject, for the HeadObject that confirms an upload),
 * the one that presigns downloads needs GetObject, each on the document keys only.
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
      // A presigned PUT stays valid until it expires, so whoever holds it could overwrite a file
      // after its upload was confirmed: versioning keeps the original recoverable.
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'documents-bucket/',
      // The widget runs on each business's own website, so uploads come from any origin. The
      // presigned URL is the authorisation, not the origin; nothing is readable without one.
      cors: [
        {
          allowedOrigins: ['*'],
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET],
          allowedHeaders: ['content-type'],
          exposedHeaders: ['ETag'],
          maxAge: CORS_MAX_AGE_SECONDS,
        },
      ],
      // Current documents never expire: they are client records on the client card and go only
      // when the business deletes them.
      lifecycleRules: [
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: INCOMPLETE_UPLOAD_RETENTION },
        { id: 'ExpireReplacedVersions', noncurrentVersionExpiration: NONCURRENT_VERSION_RETENTION, expiredObjectDeleteMarker: true },
      ],
    });
  }

  /** ARN pattern of every document object. */
  get documentsArn(): string {
    return this.bucket.arnForObjects(`${DOCUMENTS_PREFIX}*`);
  }

  /**
   * Presign uploads and confirm them: PutObject and GetObject (HeadObject) on the document keys.
   * ListBucket too, because without it S3 answers HeadObject of a file not uploaded yet with 403
   * instead of 404; it reveals key names only (tenant and document ids), and this role can already
   * read every document.
   */
  grantUploads(fn: MessagesFunction): void {
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:PutObject', 's3:GetObject'], resources: [this.documentsArn] }),
    );
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
    );
    this.acknowledgeDocumentKeys(fn, 'presigns uploads (s3:PutObject) and confirms them (HeadObject, s3:GetObject)');
  }

  /** Presign downloads: GetObject on the document keys. */
  grantDownloads(fn: MessagesFunction): void {
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:GetObject'], resources: [this.documentsArn] }),
    );
    this.acknowledgeDocumentKeys(fn, 'presigns downloads (s3:GetObject)');
  }

  /** cdk-nag flags the `documents/*` wildcard; it is the narrowest resource these grants can name. */
  private acknowledgeDocumentKeys(fn: MessagesFunction, what: string): void {
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${DOCUMENTS_PREFIX}*]`,
      reason:
        `The function ${what} for documents named at runtime (one key per uploaded file, ` +
        `${DOCUMENTS_PREFIX}<tenant id>/<document id>), so the resource is every key under ${DOCUMENTS_PREFIX} of ` +
        'the documents bucket, never another bucket or prefix; each presigned URL names one key and expires within minutes.',
    });
  }
}
