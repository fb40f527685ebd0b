import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { z } from 'zod';
import { DomainError, invalidInput } from '#domain/errors.ts';
import { issuesOf } from '#http/responses.ts';

/** Reading the parts of an API Gateway v2 event that operations need, with clear 4xx on bad input. */

export const maxBodyBytes = 64 * 1024;
export const tenantClaim = 'custom:tenantId';
const tenantIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

export const groupsClaim = 'cognito:groups';
export const operatorGroup = 'operators';

/**
 * A platform operator's token: its Cognito groups include `operators`. API Gateway hands a list
 * claim over flattened (`[operators admins]`); a token signed with it as an array reads the same.
 */
export function requireOperator(event: APIGatewayProxyEventV2WithJWTAuthorizer): void {
  const groups: unknown = event.requestContext.authorizer?.jwt?.claims?.[groupsClaim];
  const names = Array.isArray(groups) ? groups.map(String) : typeof groups === 'string' ? groups.replace(/^\[|\]$/g, '').split(/[\s,]+/) : [];
  if (!names.includes(operatorGroup)) throw new DomainError('forbidden', `Only the platform operator (Cognito group ${operatorGroup}) may do this`);
}

/** The tenant from the authorizer's verified claims; never from the path or the body. */
export function tenantOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): string {
  const tenantId = event.requestContext.authorizer?.jwt?.claims?.[tenantClaim];
  if (typeof tenantId !== 'string' || !tenantIdPattern.test(tenantId)) {
    throw new DomainError('forbidden', `The token carries no valid ${tenantClaim} claim`);
  }
  return tenantId;
}

export function jsonBody(event: APIGatewayProxyEventV2WithJWTAuthorizer, limit = maxBodyBytes): unknown {
  const raw = event.body === undefined || event.body === null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw, 'utf8') > limit) {
    throw new DomainError('payload_too_large', `The body is larger than ${limit} bytes`);
  }
  if (raw.trim() === '') throw invalidInput([{ path: '(body)', message: 'a JSON body is required' }]);
  const contentType = event.headers['content-type'] ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new DomainError('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json');
  }
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new DomainError('malformed_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * A form body (`application/x-www-form-urlencoded`, or `multipart/form-data` as RFC 8058 lets a
 * mail client send its one-click POST) as an object of its text fields; a field sent twice keeps
 * the last value.
 */
export function formBody(event: APIGatewayProxyEventV2WithJWTAuthorizer, limit = maxBodyBytes): Record<string, string> {
  const raw = event.body === undefined || event.body === null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw, 'utf8') > limit) throw new DomainError('payload_too_large', `The body is larger than ${limit} bytes`);
  const contentType = event.headers['content-type'] ?? '';
  if (/^application\/x-www-form-urlencoded\b/i.test(contentType)) return Object.fromEntries(new URLSearchParams(raw));
  const boundary = /^multipart\/form-data\b.*?;\s*boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (boundary) return multipartFields(raw, boundary);
  throw new DomainError('unsupported_media_type', 'Send the body as a form: Content-Type application/x-www-form-urlencoded or multipart/form-data');
}

/** The text fields of a multipart body: each part's `name` and its content (files are not taken). */
function multipartFields(raw: string, boundary: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const part of raw.split(`--${boundary}`)) {
    const [head, ...content] = part.split(/\r?\n\r?\n/);
    const name = /content-disposition:\s*form-data;\s*name="([^"]*)"(?!;\s*filename)/i.exec(head ?? '')?.[1];
    if (name !== undefined) fields[name] = content.join('\n\n').replace(/\r?\n$/, '');
  }
  return fields;
}

export function validated<T extends z.ZodType>(schema: T | undefined, value: unknown, where: 'path' | 'query' | 'body'): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalidInput(issuesOf(result.error, where === 'body' ? '' : where), `The request ${where === 'body' ? 'body' : where} is not valid`);
}

/** The version in an If-Match header: `"3"`, `W/"3"` or `3`. */
export function ifMatchVersion(header: string | undefined, required: boolean): number | undefined {
  if (header === undefined || header.trim() === '') {
    if (required) throw new DomainError('precondition_required', 'Send If-Match with the version you last read (its ETag) so concurrent edits are not lost');
    return undefined;
  }
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) throw invalidInput([{ path: 'If-Match', message: 'must be the record version (its ETag), e.g. "3"' }]);
  return Number(match[1]);
}

export const etag = (version: number): string => `"${version}"`;
