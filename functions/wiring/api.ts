import { ulid } from 'ulid';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoRecordStore } from '#adapters/dynamodb/record-store.ts';
import { dynamoMessageLog } from '#adapters/dynamodb/message-log.ts';
import { dynamoRateLimiter } from '#adapters/dynamodb/rate-limiter.ts';
import { dynamoSmsUsage } from '#adapters/dynamodb/sms-usage.ts';
import { awsTenantScopedDocuments } from '#adapters/dynamodb/tenant-scoped-documents.ts';
import type { AppDeps } from '#http/deps.ts';
import { documents, now, once, overrides, required } from '#wiring/core.ts';

/** The API's table client: signed with the request's tenant credentials once it acts for a tenant (STS; only API functions bundle it). */
const apiDocuments = /* @__PURE__ */ once((): DynamoDBDocumentClient => overrides().tenantDocuments?.(documents()) ?? awsTenantScopedDocuments(documents()));

// One of each per container, whichever areas' handlers hold them (locally, every area of the process).
const store = /* @__PURE__ */ once(() => dynamoRecordStore(apiDocuments(), required('TABLE_NAME')));
const messages = /* @__PURE__ */ once(() => dynamoMessageLog(apiDocuments(), required('TABLE_NAME')));
const rateLimiter = /* @__PURE__ */ once(() => dynamoRateLimiter(apiDocuments(), required('TABLE_NAME')));
const smsUsage = /* @__PURE__ */ once(() => dynamoSmsUsage(apiDocuments(), required('TABLE_NAME')));

/** What an API area adds to the table's dependencies: only the services its module wires. */
export type AreaServices = Partial<Pick<AppDeps, 'queue' | 'documents' | 'importQueue' | 'unsubscribeKey'>>;

/**
 * A service an area did not wire: calling it is a fault of that area's module (its `uses` and its
 * wiring disagree), answered as a plain 500 and logged with this message.
 */
function notWired<T>(service: string): T {
  const refuse = (): never => {
    throw new Error(`${service} is not wired into this function: its area module must list it in \`uses\` and pass it to apiDeps`);
  };
  // A function target, so that both a port object (documents.read) and a port function (unsubscribeKey) refuse.
  return new Proxy(refuse, { get: () => refuse }) as T;
}

/** The API dependencies: the table's, built here, plus the services the area passes (built on first use). */
export function apiDeps(services: { readonly [K in keyof AreaServices]: () => NonNullable<AreaServices[K]> } = {}): () => AppDeps {
  return once(
    (): AppDeps => ({
      store: store(),
      messages: messages(),
      queue: services.queue?.() ?? notWired('the delivery queue'),
      documents: services.documents?.() ?? notWired('document storage'),
      importQueue: services.importQueue?.() ?? notWired('the import queue'),
      unsubscribeKey: services.unsubscribeKey?.() ?? notWired('the unsubscribe key'),
      rateLimiter: rateLimiter(),
      smsUsage: smsUsage(),
      now,
      newId: ulid,
      ...(process.env.EDGE_ORIGIN_SECRET ? { edgeSecret: process.env.EDGE_ORIGIN_SECRET } : {}),
    }),
  );
}
