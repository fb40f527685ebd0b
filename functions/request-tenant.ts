import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The tenant an API request acts for, decided by who called, never by a store argument: the JWT's
 * tenant, the path's tenant on an operator route (after the operator check), or on a public route
 * the business its slug or signed link names, once that resolves. The tenant-scoped DynamoDB client
 * (functions/adapters/dynamodb/tenant-scoped-documents.ts) reads it to pick the credentials each
 * call is signed with, so a bug that passes another tenant's id to the store is refused by IAM.
 * Bound once per request: acting for a second tenant is a bug, refused here.
 */
const context = new AsyncLocalStorage<{ tenantId?: string }>();

export class TenantAlreadyBound extends Error {
  override readonly name = 'TenantAlreadyBound';
}

/** Runs `work` as one request, acting for no tenant until `bindRequestTenant` names one. */
export function withRequestScope<T>(work: () => T): T {
  return context.run({}, work);
}

/**
 * Makes `tenantId` the tenant of the current request. Outside a request (stream, queue and event
 * functions, which act across tenants on their own role) there is nothing to bind and nothing happens.
 */
export function bindRequestTenant(tenantId: string): void {
  const scope = context.getStore();
  if (!scope || scope.tenantId === tenantId) return;
  if (scope.tenantId !== undefined) throw new TenantAlreadyBound(`The request acts for tenant ${scope.tenantId}, not ${tenantId}`);
  scope.tenantId = tenantId;
}

/** The tenant the current request acts for; none before it is bound, and outside a request. */
export const requestTenant = (): string | undefined => context.getStore()?.tenantId;
