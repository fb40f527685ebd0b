import { createDocumentClient, dynamoRecordStore } from '#adapters/dynamodb/record-store.ts';
import { recordLink, type Notification } from '#domain/notifications.ts';
import { exampleBodies, exampleClientField, exampleLocation, exampleSettings } from '#http/openapi-examples.ts';
import type { RecordKind, RecordOf } from '#domain/record-kinds.ts';
import { afterAll, beforeAll, expect } from 'vitest';
import { checkAnswer, failOnViolations } from '../contract/response-check.ts';
import { localDynamoDbClient, startApi, type LocalApi } from './local-stack.ts';
import type { LocalTokenOptions } from '#local/token-key.ts';

// Every answer a test gets through `apiClient` is checked against the OpenAPI document; the file fails on any it does not describe.
afterAll(failOnViolations);

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

/** Requests as one tenant against the local API, JSON in and out; `tokenOptions` for special tokens (an operator's groups). */
export function apiClient(api: LocalApi, tenantId: string, tokenOptions?: LocalTokenOptions) {
  let token: Promise<string> | undefined;
  return async function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    token ??= api.tokenFor(tenantId, tokenOptions);
    const response = await fetch(`${api.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    // A page (the public unsubscribe page) stays text; every other answer is JSON.
    const page = response.headers.get('content-type')?.startsWith('text/html') ?? false;
    const answer = { status: response.status, headers: response.headers, body: text ? (page ? text : JSON.parse(text)) : undefined };
    checkAnswer({ method, path, ...answer });
    return answer;
  };
}

export type Request = ReturnType<typeof apiClient>;

/**
 * A local API and a tenant seeded through it for one test file: started before its tests, closed
 * after them. `request` and `seeded` are for use inside tests, once `beforeAll` has run.
 */
export function useSeededTenant(prefix: string): { readonly request: Request; readonly seeded: SeededTenant; readonly api: LocalApi; readonly tenantId: string } {
  let api: LocalApi | undefined;
  let client: Request | undefined;
  let seeded: SeededTenant | undefined;
  const tenantId = `${prefix}-${Date.now()}`;
  beforeAll(async () => {
    api = await startApi();
    client = apiClient(api, tenantId);
    seeded = await seedTenant(client);
  });
  afterAll(() => api?.close());
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the seeded tenant is ready only inside tests');
    return value;
  };
  return {
    request: (...args) => started(client)(...args),
    get seeded() {
      return started(seeded);
    },
    get api() {
      return started(api);
    },
    tenantId,
  };
}

export type SeededTenant = Awaited<ReturnType<typeof seedTenant>>;

/** A tenant with one record of every kind, made through the API. */
export async function seedTenant(request: Request) {
  const settings = await request('PUT', '/settings', sample.settings, { 'if-match': '"0"' });
  const location = await request('POST', '/locations', sample.location);
  const client = await request('POST', '/clients', sample.client);
  const field = await request('POST', '/client-fields', sample.clientField);
  const clientId = client.body.id;
  const locationId = location.body.id;
  const booking = await request('POST', '/bookings', sample.booking(clientId, locationId));
  const invoice = await request('POST', '/invoices', sample.invoice(clientId));
  const estimate = await request('POST', '/estimates', sample.estimate(clientId));
  const order = await request('POST', '/orders', sample.order(clientId, locationId));
  const lead = await request('POST', '/leads', sample.lead(clientId));
  const rule = await request('POST', '/rules', sample.rule(locationId));
  const automated = await request('PUT', '/settings/automated-messages', sample.automatedMessages, { 'if-match': '"0"' });
  const template = await request('PUT', '/templates/booking_confirmed/sms', sample.template, { 'if-match': '"0"' });
  const made = { settings, location, client, field, booking, invoice, estimate, order, lead, rule, automated, template };
  for (const [name, response] of Object.entries(made)) {
    if (response.status >= 300) throw new Error(`seeding ${name} failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return {
    ids: {
      '/locations': locationId,
      '/clients': clientId,
      '/client-fields': field.body.id,
      '/bookings': booking.body.id,
      '/invoices': invoice.body.id,
      '/estimates': estimate.body.id,
      '/orders': order.body.id,
      '/leads': lead.body.id,
      '/rules': rule.body.id,
    } as Record<string, string>,
    clientId,
    locationId,
  };
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}-${++counter}`;

export const sample = {
  settings: exampleSettings,
  location: exampleLocation,
  client: { firstName: 'Ana', lastName: 'García', email: 'Ana@Example.com', phone: '612 345 678', language: 'es', consent: { email: true, sms: true } },
  clientField: exampleClientField,
  booking: exampleBodies.booking,
  invoice: (clientId: string, number = `F-${unique()}`) => exampleBodies.invoice(clientId, number),
  estimate: (clientId: string, number = `P-${unique()}`) => exampleBodies.estimate(clientId, number),
  order: exampleBodies.order,
  lead: exampleBodies.lead,
  rule: exampleBodies.rule,
  automatedMessages: exampleBodies.automatedMessages,
  /** An unread business notification made at `createdAt`, its id that of the message it came from. */
  notification: (clientId: string, createdAt: string): Notification => {
    const invoiceId = unique();
    return {
      id: `invoice.${invoiceId}.v2.system.invoice_overdue_business.email`,
      messageType: 'invoice_overdue_business',
      title: 'Invoice overdue',
      text: `Invoice ${invoiceId} is overdue`,
      entity: { kind: 'invoice', id: invoiceId },
      clientId,
      link: recordLink('invoice', invoiceId),
      read: false,
      version: 1,
      createdAt,
      updatedAt: createdAt,
    };
  },
  template: { languages: { es: { text: 'Confirmado, {{ client.firstName }}: {{ booking.date }} {{ booking.time }}.' } } },
};

/**
 * Records the API does not make (notifications and messages come from delivery, documents from the
 * widgets): put straight into the store, as those put them.
 */
export async function putRecords<K extends RecordKind>(api: LocalApi, tenantId: string, kind: K, records: readonly RecordOf<K>[]): Promise<void> {
  const client = localDynamoDbClient();
  try {
    const store = dynamoRecordStore(createDocumentClient(client), api.env.tableName);
    for (const record of records) await store.put(tenantId, kind, record, { expected: 'absent' });
  } finally {
    client.destroy();
  }
}

/** Fills a route's path parameters with the tenant's own records (or a fixed template). */
export const pathFor = (path: string, ids: Record<string, string>): string =>
  path
    .replace('{id}', ids[`/${path.split('/')[1]}`] ?? 'x')
    .replace('{slug}', 'no-such-business')
    .replace('{messageType}', 'booking_confirmed')
    // Only an email address can be suppressed; templates are kept per channel, SMS among them.
    .replace('{channel}', path.includes('/suppressions/') ? 'email' : 'sms')
    .replace('{tenantId}', ids.tenantId ?? 'no-such-tenant');

/** The preferences footer every email to a client ends with: a line in the client's language and the signed link. */
const preferencesFooter = /\n\n—\n[^\n]+:\nhttps?:\/\/\S+\/public\/unsubscribe\?link=[\w.-]+$/;

/** An email's text without its preferences footer, which it must have. */
export function withoutFooter(text: string | undefined): string {
  expect(text).toMatch(preferencesFooter);
  return text!.replace(preferencesFooter, '');
}

/** Who fills in a public widget form. */
const publicSubmitter = { firstName: 'Ana', email: 'ana@example.com' };

/** A valid body for every route that takes one, given the tenant's seeded records. */
export function validBodies(seeded: { clientId: string; locationId: string; ids: Record<string, string> }): Record<string, unknown> {
  return {
    ...recordRouteBodies,
    'POST /locations': sample.location,
    'POST /clients': { ...sample.client, phone: '+34 612 345 678' },
    'POST /client-fields': sample.clientField,
    'POST /bookings': sample.booking(seeded.clientId, seeded.locationId),
    'POST /invoices': sample.invoice(seeded.clientId),
    'POST /estimates': sample.estimate(seeded.clientId),
    'POST /orders': sample.order(seeded.clientId, seeded.locationId),
    'POST /leads': sample.lead(seeded.clientId),
    'POST /rules': sample.rule(seeded.locationId),
    'POST /rules/bulk': { action: 'set_channel', ids: [seeded.ids['/rules']], channel: 'email' },
    'PUT /settings/automated-messages': sample.automatedMessages,
    'PUT /templates/{messageType}/{channel}': sample.template,
    'POST /templates/preview': { messageType: 'booking_confirmed', channel: 'sms', language: 'es' },
    'POST /public/{slug}/contact': { ...publicSubmitter, message: 'Hola' },
    'POST /public/{slug}/messages': { ...publicSubmitter, text: 'Hola' },
    'POST /public/{slug}/booking-requests': { ...publicSubmitter, locationId: seeded.locationId, service: 'Corte', start: '2030-03-29T10:00:00+02:00', end: '2030-03-29T10:45:00+02:00' },
    'POST /public/{slug}/documents': { ...publicSubmitter, fileName: 'scan.pdf', contentType: 'application/pdf', size: 2048 },
    // A domain is one business's across all of them: each seeded tenant gets its own.
    'PUT /settings/sender/domain': { domain: `${unique().toLowerCase()}.example`, localPart: 'citas' },
    'PUT /operator/tenants/{tenantId}/plan': { plan: 'standard' },
    'POST /imports/uploads': { size: 2048 },
    'POST /imports': { uploadId: 'no-such-upload', guess: true, onMatch: 'update', emailConsent: false },
  };
}

/** A valid body for each route that takes one and acts on an existing record. */
export const recordRouteBodies: Record<string, unknown> = {
  'PUT /settings': sample.settings,
  'PATCH /locations/{id}': { name: 'Norte' },
  'PATCH /clients/{id}': { notes: 'prefers mornings' },
  'PATCH /client-fields/{id}': { label: 'Hair' },
  'PATCH /bookings/{id}': { service: 'Tinte' },
  'POST /bookings/{id}/cancel': { by: 'business' },
  'PATCH /invoices/{id}': { amountMinor: 5000 },
  'PATCH /estimates/{id}': { amountMinor: 5000 },
  'PATCH /orders/{id}': { title: 'Replace battery' },
  'PATCH /leads/{id}': { source: 'phone' },
  'POST /leads/{id}/convert': { status: 'Won' },
  'PATCH /rules/{id}': { name: 'Ready (SMS)' },
  'POST /clients/{id}/payment-reminders': { invoiceId: 'no-such-invoice' },
  'POST /clients/{id}/booking-invitations': {},
  'POST /clients/{id}/messages': { channel: 'email', text: 'Hola' },
  'POST /bookings/{id}/invoice': { number: 'F-invoice-booking' },
};

/** The claims of a platform operator's token (the Cognito group the /operator/… routes require). */
export const operatorToken = { claims: { 'cognito:groups': ['operators'] } };
