import * as z from 'zod';
import { Invoice } from '#domain/invoices.ts';
import { planNames } from '#domain/plans.ts';

/**
 * Every error code the server answers with, its status and the shape of its `details`: the one
 * list the OpenAPI document's error schemas are built from. A test checks each code maps to this
 * status in `errorResult`, so the document cannot drift from what the server sends.
 */

const Issue = z.strictObject({
  path: z.string().meta({ description: 'The bad field, dotted (`trigger.offset`); `query.x` / `path.x` for the query and the path, `If-Match` for the header, `(body)` for the whole body' }),
  message: z.string(),
});
const RecordNamed = { kind: z.string().meta({ description: 'The record kind, e.g. booking' }), id: z.string() };
const RetryAfter = { retryAfterSeconds: z.number().int().min(1).meta({ description: 'Also sent as the Retry-After header' }) };

export interface ErrorCode {
  readonly status: number;
  readonly description: string;
  /** The details this code carries; `optional` when some answers with the code carry none. */
  readonly details?: z.ZodType;
  readonly detailsAlways?: boolean;
}

export const errorCatalog = {
  validation_failed: {
    status: 400,
    description: 'A field of the body, the query, the path or the If-Match header is not valid; details.issues names each (absent when a body was sent to an operation that takes none)',
    details: z.strictObject({ issues: z.array(Issue).min(1) }),
  },
  malformed_json: { status: 400, description: 'The body is not valid JSON' },
  forbidden: { status: 403, description: 'The token is valid but carries no valid custom:tenantId claim, or the route is the platform operator’s and the token is not an operator’s' },
  not_through_edge: { status: 403, description: 'A public route called at the execute-api address, around the API’s public address (CloudFront and AWS WAF): only requests through the edge are served' },
  not_found: {
    status: 404,
    description: 'No such record for this tenant (another tenant’s record answers the same), or no business has that public slug (no details then)',
    details: z.strictObject(RecordNamed),
  },
  invalid_transition: {
    status: 409,
    description: 'The record’s status does not allow this transition; details.allowed lists where it can go',
    details: z.strictObject({ kind: RecordNamed.kind, from: z.string(), to: z.string(), allowed: z.array(z.string()) }),
    detailsAlways: true,
  },
  conflict: {
    status: 409,
    description: 'Not allowed in the record’s current state (not editable in its status, a lead already converted, an upload not arrived or not as declared, an import already started from the upload, a report asked for before the import completed, a limit reached, references still held)',
    details: z.union([
      z.strictObject({ status: z.string(), editable: z.array(z.string()) }),
      z.strictObject({ convertedAt: z.iso.datetime({ offset: true }) }),
      z.strictObject({
        declared: z.strictObject({ size: z.number().int(), contentType: z.string() }),
        stored: z.strictObject({ size: z.number().int(), contentType: z.string().optional() }),
      }),
    ]),
  },
  duplicate: {
    status: 409,
    description: 'A value only one record may hold (an invoice number, a client’s email or phone, a public slug) is taken; details.field names the body field that holds it',
    details: z.strictObject({
      field: z.string().meta({ description: 'The body field, as sent: `email`, `phone`, `number`, `slug`' }),
      value: z.string().meta({ description: 'The value as stored (an email in lower case, a phone in E.164)' }),
    }),
    detailsAlways: true,
  },
  in_use: {
    status: 409,
    description:
      'The record cannot be deleted while others reference it (a location its bookings or orders use, a client its bookings, invoices, estimates, orders, leads, documents or messages); details.references counts them by kind where the server keeps count (locations)',
    details: z.strictObject({
      ...RecordNamed,
      references: z.record(z.string(), z.number().int().min(1)).optional().meta({ description: 'How many records of each kind reference it, e.g. `{ "booking": 3, "order": 1 }`' }),
    }),
    detailsAlways: true,
  },
  archived: {
    status: 409,
    description: 'The write names an archived record (status `archived`): an archived client gets no new bookings, invoices, estimates or orders; make it active first',
    details: z.strictObject({ ...RecordNamed, field: z.string().meta({ description: 'The body field that names it, e.g. clientId' }) }),
    detailsAlways: true,
  },
  already_invoiced: {
    status: 409,
    description: 'The booking already has its invoice (one per booking); details.invoice is that invoice',
    details: z.strictObject({ invoice: Invoice }),
    detailsAlways: true,
  },
  plan_required: {
    status: 403,
    description: 'The business’s plan does not include this (custom texts, template overrides); details.plan names its plan, details.requires the plans that do',
    details: z.strictObject({ plan: z.enum(planNames), requires: z.array(z.enum(planNames)) }),
    detailsAlways: true,
  },
  transaction_conflict: { status: 409, description: 'Another request was changing the same records at the same moment; try again' },
  idempotency_key_in_progress: {
    status: 409,
    description: 'A request with the same Idempotency-Key is still being processed; retry after Retry-After seconds to get its answer',
    details: z.strictObject({ key: z.string(), ...RetryAfter }),
    detailsAlways: true,
  },
  version_mismatch: {
    status: 412,
    description: 'If-Match names another version than the current one; details.currentVersion is the current one (read the record again)',
    details: z.strictObject({ ...RecordNamed, currentVersion: z.number().int().min(0) }),
    detailsAlways: true,
  },
  payload_too_large: { status: 413, description: 'The body is larger than the operation accepts (64 KiB; 16 KiB on public forms), or a file to import is over 10 MiB' },
  unsupported_media_type: { status: 415, description: 'The body is not sent as Content-Type: application/json (on the unsubscribe POST: as a form)' },
  unreadable_file: { status: 422, description: 'The uploaded file cannot be read as CSV (an unclosed quote, or no header line); fix it in the spreadsheet and upload it again' },
  idempotency_key_reused: {
    status: 422,
    description: 'The Idempotency-Key was already used for a different request to this operation',
    details: z.strictObject({ key: z.string(), operation: z.string().meta({ description: 'The route, e.g. POST /bookings' }) }),
    detailsAlways: true,
  },
  precondition_required: { status: 428, description: 'The operation needs If-Match with the version last read (its ETag)' },
  rate_limited: {
    status: 429,
    description: 'Over the business’s or the sender’s public rate limit; retry after Retry-After seconds',
    details: z.strictObject(RetryAfter),
    detailsAlways: true,
  },
  internal_error: { status: 500, description: 'Something went wrong on our side; the message quotes the request id' },
} as const satisfies Record<string, ErrorCode>;

export type ErrorCodeName = keyof typeof errorCatalog;
export const errorCodes = Object.keys(errorCatalog) as ErrorCodeName[];

const pascal = (code: string) => code.replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());

/** One error code's body: `{ code, message, details }`, a component named after the code (`VersionMismatchError`). */
const variants = new Map<ErrorCodeName, z.ZodObject>(
  errorCodes.map((code) => {
    const entry: ErrorCode = errorCatalog[code];
    return [
      code,
      z
        .strictObject({
          code: z.literal(code),
          message: z.string().meta({ description: 'For people: what went wrong and what to do' }),
          ...(entry.details ? { details: entry.detailsAlways ? entry.details : entry.details.optional() } : {}),
        })
        .meta({ id: `${pascal(code)}Error`, description: entry.description }),
    ];
  }),
);

/** The error body of one status: `{ error }` with `error` one of the codes that status answers, told apart by `code`. */
export function errorBodyOf(status: number): z.ZodType | undefined {
  const codes = errorCodes.filter((code) => errorCatalog[code].status === status);
  if (codes.length === 0) return undefined;
  const options = codes.map((code) => variants.get(code)!);
  const error = options.length === 1 ? options[0]! : z.discriminatedUnion('code', options as [z.ZodObject, z.ZodObject, ...z.ZodObject[]]);
  return (errorBodies[status] ??= z.strictObject({ error }).meta({ id: `Error${status}`, description: `The error body of a ${status}: codes ${codes.join(', ')}` }));
}
const errorBodies: Record<number, z.ZodType> = {};

/** What API Gateway itself answers (its JWT authorizer's 401, its throttling 429, its own 413, 500 and 503): an HTTP API cannot change this body. */
export const GatewayError = z
  .strictObject({ message: z.string().meta({ description: 'Unauthorized, Too Many Requests, Request Entity Too Large, Internal Server Error or Service Unavailable' }) })
  .meta({
    id: 'GatewayError',
    description: 'The body API Gateway answers with itself, before or instead of our function; not the Error shape, and an HTTP API cannot change it',
  });
