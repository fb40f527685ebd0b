import type { AnyRoute } from '#http/route.ts';
import type { HttpLambda } from '#http/http-handler.ts';
import * as openapi from '#api/openapi.ts';
import { recordAreas } from '#api/record-areas.ts';

/** What an area's function may do on the records table. */
export type TableAccess = 'read-write' | 'read' | 'none';

/**
 * What an area's function uses besides the records table. The CDK stack grants each function
 * exactly what its area lists, and passes the environment that goes with it.
 */
export type AreaResource =
  /** Presigns document uploads and confirms them (DOCUMENTS_BUCKET). */
  | 'document-uploads'
  /** Presigns document downloads (DOCUMENTS_BUCKET). */
  | 'document-downloads'
  /** Puts delivery requests on the delivery queue (DELIVERY_QUEUE_URL). */
  | 'delivery-queue'
  /** Presigns import uploads, reads and copies them, presigns report downloads (DOCUMENTS_BUCKET, keys under imports/). */
  | 'import-files'
  /** Puts imports on the import queue (IMPORT_QUEUE_URL). */
  | 'import-queue'
  /** Counts public requests per tenant and per sender (PUBLIC_RATE_LIMIT, PUBLIC_SENDER_RATE_LIMIT per PUBLIC_RATE_WINDOW_SECONDS), with the business's credentials. */
  | 'public-rate-limit'
  /** Counts the requests of each unsubscribe link (PUBLIC_SENDER_RATE_LIMIT per PUBLIC_RATE_WINDOW_SECONDS), with the business's credentials. */
  | 'unsubscribe-rate-limit'
  /** Finds the business of a public slug (its global claim) on the function's own role, before acting for the business. */
  | 'slug-lookup'
  /** Claims the business's slug and sender domain (global items) in the transactions that save its settings. */
  | 'business-claims'
  /** Manages the businesses' SES tenants and domain identities (SENDER_EMAIL, SES_TENANT_PREFIX, SES_CONFIGURATION_SET_ARN, SES_IDENTITY_ARN_PREFIX). */
  | 'ses-tenants'
  /** Checks unsubscribe links' tokens with the key in Secrets Manager (UNSUBSCRIBE_KEY_SECRET). */
  | 'unsubscribe-key';

export interface ApiArea {
  /** Also the name of its module under functions/api/, the area's Lambda entry. */
  readonly area: string;
  readonly routes: readonly AnyRoute[];
  readonly handler: HttpLambda;
  /** Least privilege: areas that only read get no writes, areas that never touch the table nothing. @default 'read-write' */
  readonly tableAccess?: TableAccess;
  /** @default nothing besides the table */
  readonly uses?: readonly AreaResource[];
}

/** Every HTTP area: what the CDK stack deploys and the local server serves. */
export const apiAreas: readonly ApiArea[] = [...recordAreas, { area: 'openapi', tableAccess: 'none', ...openapi }];
