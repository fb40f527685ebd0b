import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ZodError } from 'zod';
import { DomainError } from '#domain/errors.ts';
import type { RouteResult } from '#http/route.ts';

/** The status code for each error code the domain, the store and the HTTP layer use. */
const statusOf: Readonly<Record<string, number>> = {
  validation_failed: 400,
  malformed_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_through_edge: 403,
  plan_required: 403,
  not_found: 404,
  invalid_transition: 409,
  conflict: 409,
  duplicate: 409,
  in_use: 409,
  archived: 409,
  already_invoiced: 409,
  transaction_conflict: 409,
  idempotency_key_in_progress: 409,
  version_mismatch: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unreadable_file: 422,
  idempotency_key_reused: 422,
  precondition_required: 428,
  rate_limited: 429,
};

const retryAfter = (details: unknown) => ({ 'retry-after': String((details as { retryAfterSeconds: number }).retryAfterSeconds) });

/** Headers some failures carry, from their details: when to try again after a 429, or a 409 whose idempotency key is still being written. */
const headersOf: Readonly<Record<string, (details: unknown) => Record<string, string>>> = {
  rate_limited: retryAfter,
  idempotency_key_in_progress: retryAfter,
};

export function json(result: RouteResult): APIGatewayProxyStructuredResultV2 {
  // A page (text/html) goes as the operation wrote it; everything else is JSON.
  if (typeof result.body === 'string' && result.headers?.['content-type']?.startsWith('text/html')) return { statusCode: result.status, headers: result.headers, body: result.body };
  return {
    statusCode: result.status,
    headers: { ...(result.body === undefined ? {} : { 'content-type': 'application/json' }), ...result.headers },
    ...(result.body === undefined ? {} : { body: JSON.stringify(result.body) }),
  };
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** The response for a failure, or undefined when it is not one we expected (a 500). */
export function errorResult(error: unknown): RouteResult | undefined {
  if (error instanceof ZodError) {
    return {
      status: 400,
      body: { error: { code: 'validation_failed', message: 'The request is not valid', details: { issues: issuesOf(error) } } } satisfies ErrorBody,
    };
  }
  if (error instanceof DomainError) {
    const status = statusOf[error.code];
    if (status === undefined) return undefined;
    const headers = headersOf[error.code]?.(error.details);
    return {
      status,
      body: { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } },
      ...(headers ? { headers } : {}),
    };
  }
  return undefined;
}

export const internalError = (requestId: string): RouteResult => ({
  status: 500,
  body: { error: { code: 'internal_error', message: `Something went wrong on our side; quote request ${requestId} if it persists` } },
});

/** Zod issues as `{ path, message }`, one per bad field, with unknown keys named. */
export function issuesOf(error: ZodError, prefix = ''): { path: string; message: string }[] {
  return error.issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: base ? `${base}.${key}` : key, message: 'is not a known field' }));
    }
    return [{ path: base || '(body)', message: issue.message }];
  });
}
