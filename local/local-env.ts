/**
 * The environment the handlers see in local mode, and the local stand-ins (local-wiring.ts) that go
 * with it. Apply it before any handler runs: the AWS SDK reads AWS_ENDPOINT_URL_DYNAMODB /
 * _SQS / _SESV2 and the handlers read TABLE_NAME, DELIVERY_QUEUE_URL, IMPORT_QUEUE_URL and SENDER_EMAIL when
 * their clients are built; the stand-ins read SCHEDULES_TABLE, SMS_OUTBOX_FILE and SES_STORE_EVIDENCE,
 * and document storage DOCUMENTS_DIR, DOCUMENTS_BASE_URL and DOCUMENTS_SIGNING_SECRET on each use.
 */
import { fileURLToPath } from 'node:url';
import { useLocalWiring } from '#local/local-wiring.ts';

export const LOCAL_TABLE_NAME = 'client-messages';
export const LOCAL_SCHEDULES_TABLE = 'client-messages-schedules';
export const LOCAL_REGION = 'us-east-1';
export const DEFAULT_SENDER_EMAIL = 'no-reply@example.com';

export interface LocalEnvOptions {
  readonly dynamodbEndpoint: string;
  readonly tableName?: string;
  /** The local scheduler's table (see `ensureSchedulesTable`). */
  readonly schedulesTable?: string;
  /** aws-ses-v2-local, e.g. `http://127.0.0.1:8005`: the real SESv2 client sends there, and its store is the evidence of what it took. */
  readonly sesEndpoint?: string;
  /** The SQS emulator, e.g. `http://127.0.0.1:4566`, and the delivery queue on it. */
  readonly sqs?: { readonly endpoint: string; readonly deliveryQueueUrl: string; readonly importQueueUrl?: string };
  /** The local SMS outbox (one JSON line per SMS) the delivery handler writes to. */
  readonly smsOutboxFile?: string;
  /** Where the stand-in for SES's identity and tenant calls keeps its state; in memory without one. */
  readonly sesIdentitiesFile?: string;
  /** The From address; defaults to SENDER_EMAIL if set, else no-reply@example.com. */
  readonly senderEmail?: string;
  /** The unsubscribe links' key file; defaults to UNSUBSCRIBE_KEY_FILE if set, else `.local/unsubscribe-key`. */
  readonly unsubscribeKeyFile?: string;
}

export function applyLocalEnv(options: LocalEnvOptions, env: NodeJS.ProcessEnv = process.env): void {
  // Never let local mode pick up a developer's real AWS identity: dummy credentials, no profile.
  delete env['AWS_PROFILE'];
  delete env['AWS_DEFAULT_PROFILE'];
  delete env['AWS_SESSION_TOKEN'];
  delete env['AWS_ROLE_ARN'];
  delete env['AWS_WEB_IDENTITY_TOKEN_FILE'];
  env['AWS_REGION'] = LOCAL_REGION;
  env['AWS_DEFAULT_REGION'] = LOCAL_REGION;
  env['AWS_ACCESS_KEY_ID'] = 'local';
  env['AWS_SECRET_ACCESS_KEY'] = 'local';
  env['AWS_ENDPOINT_URL_DYNAMODB'] = options.dynamodbEndpoint;
  env['TABLE_NAME'] = options.tableName ?? LOCAL_TABLE_NAME;
  if (options.sqs !== undefined) {
    env['AWS_ENDPOINT_URL_SQS'] = options.sqs.endpoint;
    env['DELIVERY_QUEUE_URL'] = options.sqs.deliveryQueueUrl;
    if (options.sqs.importQueueUrl !== undefined) env['IMPORT_QUEUE_URL'] = options.sqs.importQueueUrl;
  }
  // Nor EventBridge Scheduler: schedules wait in a table of their own for the local schedule runner.
  env['SCHEDULES_TABLE'] = options.schedulesTable ?? LOCAL_SCHEDULES_TABLE;
  env['SENDER_EMAIL'] = options.senderEmail ?? (env['SENDER_EMAIL'] || DEFAULT_SENDER_EMAIL);
  if (options.sesEndpoint !== undefined) {
    env['AWS_ENDPOINT_URL_SESV2'] = options.sesEndpoint;
    env['SES_STORE_EVIDENCE'] = options.sesEndpoint;
  }
  if (options.smsOutboxFile !== undefined) env['SMS_OUTBOX_FILE'] = options.smsOutboxFile;
  if (options.sesIdentitiesFile !== undefined) env['SES_IDENTITIES_FILE'] = options.sesIdentitiesFile;
  // SES tenants are named after the deployment; locally there is one.
  env['SES_TENANT_PREFIX'] = 'local';
  env['UNSUBSCRIBE_KEY_FILE'] = options.unsubscribeKeyFile ?? (env['UNSUBSCRIBE_KEY_FILE'] || fileURLToPath(new URL('../.local/unsubscribe-key', import.meta.url)));
  useLocalWiring(env);
}

export interface LocalDocumentsEnv {
  /** Where uploaded files are kept. */
  readonly dir: string;
  /** The local server's own origin, which serves the signed upload and download URLs. */
  readonly baseUrl: string;
  /** Signs those URLs; the local server checks them with the same secret. */
  readonly secret: string;
}

/** The local server's origin, once it listens: unsubscribe links in emails point at it (PUBLIC_BASE_URL, as CDK sets it to the HTTP API's URL). */
export function applyLocalPublicUrl(baseUrl: string, env: NodeJS.ProcessEnv = process.env): void {
  env['PUBLIC_BASE_URL'] = baseUrl;
}

/** Local document storage, set once the local server listens (its origin goes into every signed URL). */
export function applyLocalDocumentsEnv(documents: LocalDocumentsEnv, env: NodeJS.ProcessEnv = process.env): void {
  env['DOCUMENTS_DIR'] = documents.dir;
  env['DOCUMENTS_BASE_URL'] = documents.baseUrl;
  env['DOCUMENTS_SIGNING_SECRET'] = documents.secret;
}
