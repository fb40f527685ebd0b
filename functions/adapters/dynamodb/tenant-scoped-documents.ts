import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { STSClient } from '@aws-sdk/client-sts';
import { requestTenant } from '#request-tenant';
import { traced } from '#tracer';
import { LRUCache } from 'lru-cache';
import { createDocumentClient } from '#adapters/dynamodb/record-store.ts';
import { tenantCredentials, type TenantCredentials } from '#adapters/sts/tenant-credentials.ts';

/**
 * The table client of the API functions: a call made while a request acts for a tenant
 * (functions/request-tenant.ts) is signed with that tenant's scoped credentials, so IAM refuses any
 * key outside the tenant's prefixes whatever id the code passed; a call outside a tenant (a public
 * route resolving its slug, or a stream function reusing the store) goes through `shared`, on the
 * function's own role. One client per tenant, since the SDK memoizes a client's credentials; they
 * all share `shared`'s HTTP handler, so they share its kept-alive connections.
 */
export function tenantScopedDocuments(
  shared: DynamoDBDocumentClient,
  credentialsFor: TenantCredentials,
  options: { readonly maxTenants?: number; readonly wrap?: (client: DynamoDBClient) => DynamoDBClient } = {},
): DynamoDBDocumentClient {
  const wrap = options.wrap ?? ((client) => client);
  const clients = new LRUCache<string, DynamoDBDocumentClient>({ max: options.maxTenants ?? 500 });
  const clientOf = (tenantId: string): DynamoDBDocumentClient => {
    const cached = clients.get(tenantId);
    if (cached) return cached;
    const client = createDocumentClient(wrap(new DynamoDBClient({ credentials: () => credentialsFor(tenantId), requestHandler: shared.config.requestHandler })));
    clients.set(tenantId, client);
    return client;
  };
  const send = ((...args: Parameters<DynamoDBDocumentClient['send']>) => {
    const tenantId = requestTenant();
    return (tenantId === undefined ? shared : clientOf(tenantId)).send(...args);
  }) as DynamoDBDocumentClient['send'];
  // Everything but `send` (config, middleware stack) is the shared client's.
  return Object.assign(Object.create(shared) as DynamoDBDocumentClient, { send });
}

/** On AWS: sessions of the area's tenant-data role (TENANT_ROLE_ARN), through STS. */
export function awsTenantScopedDocuments(shared: DynamoDBDocumentClient): DynamoDBDocumentClient {
  const roleArn = (): string => {
    const value = process.env.TENANT_ROLE_ARN;
    if (!value) throw new Error('TENANT_ROLE_ARN is not set');
    return value;
  };
  return tenantScopedDocuments(shared, tenantCredentials({ sts: traced(new STSClient({})), roleArn }), { wrap: traced });
}
