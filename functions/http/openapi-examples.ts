import * as z from 'zod';
import type { AnyRoute } from '#http/route.ts';

/**
 * Examples in the OpenAPI document: a request body for every operation that takes one (the same
 * bodies the integration tests send, test/integration/api-client.ts `sample`), and the records the
 * main answers carry. Spectral (oas3-valid-media-example) checks each against its schema, and
 * test/contract/openapi-document.test.ts that every body has one.
 */

const ids = {
  location: '01JQ6Z9V4F8K2M3N5P7Q9R1S2T',
  client: '01JQ6ZA1B2C3D4E5F6G7H8J9KA',
  field: '01JQ6ZB2C3D4E5F6G7H8J9KAMB',
  booking: '01JQ6ZC3M9W2T1Q1J6J3B7D2XK',
  invoice: '01JQ6ZD4E5F6G7H8J9KAMBNCPD',
  estimate: '01JQ6ZE5F6G7H8J9KAMBNCPDQE',
  order: '01JQ6ZF6G7H8J9KAMBNCPDQERF',
  lead: '01JQ6ZG7H8J9KAMBNCPDQERFSG',
  rule: '01JQ6ZH8J9KAMBNCPDQERFSGTH',
  clientImport: '01JQ6ZJ9KAMBNCPDQERFSGTHVJ',
};
const at = '2026-03-01T09:30:00.000Z';
const meta = (id: string, version = 1) => ({ id, version, createdAt: at, updatedAt: at });
const importMapping = { firstName: 'Nombre', lastName: 'Apellidos', email: 'Correo electrónico', phone: 'Teléfono', customFields: {} };


/** The settings, a location and a client field, as the examples and the integration tests send them. */
export const exampleSettings = {
  businessName: 'Salón Lucía',
  timeZone: 'Europe/Madrid',
  defaultLanguage: 'es',
  bookingApproval: 'automatic',
  defaultCountry: 'ES',
  contactEmail: 'hola@salonlucia.example',
  orderStatuses: ['New', 'In progress', 'Ready'],
  leadStatuses: ['New', 'Won', 'Lost'],
};
export const exampleLocation = { name: 'Centro', timeZone: 'Europe/Madrid', businessHours: { mon: [{ open: '09:00', close: '14:00' }] } };
export const exampleClientField = { label: 'Hair type', type: 'select', options: ['curly', 'straight'], forms: ['contact'] };
const settings = { ...exampleSettings, slug: 'salon-lucia' };
const location = exampleLocation;
const client = { firstName: 'Ana', lastName: 'García', email: 'ana@example.com', phone: '+34612345678', language: 'es', consent: { email: true, sms: true } };
const clientField = exampleClientField;
/**
 * The bodies that name other records, as builders: the document's examples fill in the ids above,
 * and the integration tests (test/integration/api-client.ts) the ids of the records they made.
 */
export const exampleBodies = {
  booking: (clientId: string, locationId: string, start = '2026-03-29T10:00:00+02:00', end = '2026-03-29T10:45:00+02:00') => ({ clientId, locationId, service: 'Corte', start, end }),
  invoice: (clientId: string, number = 'F-2026-001') => ({ number, clientId, amountMinor: 4500, currency: 'EUR', issueDate: '2026-03-01', dueDate: '2026-03-31' }),
  estimate: (clientId: string, number = 'P-2026-001') => ({ number, clientId, amountMinor: 90000, currency: 'EUR', expiresOn: '2026-04-30' }),
  order: (clientId: string, locationId: string) => ({ clientId, locationId, title: 'Repair screen', scheduledAt: '2026-03-30T09:00:00+02:00' }),
  lead: (clientId: string) => ({ clientId, source: 'website' }),
  rule: (locationId: string) => ({
    name: 'Ready by SMS',
    trigger: { entity: 'order', on: 'status_changed', toStatus: 'Ready' },
    audience: 'client',
    channel: 'sms',
    template: 'order_status_changed',
    locations: [locationId],
  }),
  automatedMessages: {
    bookingConfirmation: { sms: true },
    bookingStatus: {
      pending: { email: true, sms: false },
      confirmed: { email: true, sms: false },
      rejected: { email: true, sms: false },
      cancelled: { email: true, sms: true, customText: { sms: 'Hola {{ client.firstName }}, tu cita ha sido cancelada.' } },
      rescheduled: { email: true, sms: false },
    },
    newInvoice: { sms: false },
    newEstimate: { sms: false },
    autoReplies: { message: { enabled: false }, document: { enabled: false }, contactForm: { enabled: false } },
  },
};
const booking = exampleBodies.booking(ids.client, ids.location);
const invoice = exampleBodies.invoice(ids.client);
const estimate = exampleBodies.estimate(ids.client);
const order = exampleBodies.order(ids.client, ids.location);
const lead = exampleBodies.lead(ids.client);
const rule = exampleBodies.rule(ids.location);
const submitter = { firstName: 'Ana', email: 'ana@example.com' };
const { automatedMessages } = exampleBodies;

const requestExamples: Record<string, unknown> = {
  'PUT /settings': settings,
  'POST /locations': location,
  'PATCH /locations/{id}': { name: 'Norte' },
  'POST /clients': client,
  'PATCH /clients/{id}': { notes: 'prefers mornings' },
  'POST /clients/{id}/messages': { channel: 'email', subject: 'Your appointment', text: 'Hola Ana, see you on Sunday.' },
  'POST /clients/{id}/payment-reminders': { invoiceId: ids.invoice, channel: 'email' },
  'POST /clients/{id}/booking-invitations': { channel: 'sms' },
  'POST /client-fields': clientField,
  'PATCH /client-fields/{id}': { label: 'Hair' },
  'POST /bookings': booking,
  'PATCH /bookings/{id}': { service: 'Tinte' },
  'POST /bookings/{id}/cancel': { by: 'client', reason: 'Travelling' },
  'POST /bookings/{id}/invoice': { number: 'F-2026-0043' },
  'PUT /operator/tenants/{tenantId}/plan': { plan: 'standard', smsSegmentsPerMonth: 500 },
  'POST /invoices': invoice,
  'PATCH /invoices/{id}': { amountMinor: 5000 },
  'POST /estimates': estimate,
  'PATCH /estimates/{id}': { amountMinor: 95000 },
  'POST /orders': order,
  'PATCH /orders/{id}': { title: 'Replace battery' },
  'POST /leads': lead,
  'PATCH /leads/{id}': { source: 'phone' },
  'POST /leads/{id}/convert': { status: 'Won' },
  'PUT /settings/automated-messages': automatedMessages,
  'PUT /settings/sender/domain': { domain: 'salon-lucia.es', localPart: 'citas' },
  'POST /rules': rule,
  'PATCH /rules/{id}': { name: 'Ready (SMS)' },
  'POST /rules/bulk': { action: 'set_channel', ids: [ids.rule], channel: 'email' },
  'PUT /templates/{messageType}/{channel}': { languages: { es: { text: 'Confirmado, {{ client.firstName }}: {{ booking.date }} {{ booking.time }}.' } } },
  'POST /templates/preview': { messageType: 'booking_confirmed', channel: 'sms', language: 'es' },
  'POST /public/{slug}/contact': { ...submitter, message: 'Hola, ¿abrís los sábados?' },
  'POST /public/unsubscribe': { 'List-Unsubscribe': 'One-Click' },
  'POST /public/{slug}/messages': { ...submitter, text: 'Hola, llego 10 minutos tarde' },
  'POST /public/{slug}/booking-requests': { ...submitter, locationId: ids.location, service: 'Corte', start: '2030-03-29T10:00:00+02:00', end: '2030-03-29T10:45:00+02:00' },
  'POST /public/{slug}/documents': { ...submitter, fileName: 'scan.pdf', contentType: 'application/pdf', size: 2048 },
  'POST /imports/uploads': { size: 48213 },
  'POST /imports': { uploadId: ids.clientImport, guess: true, onMatch: 'update', emailConsent: false },
};

/** The records main answers carry, by the schema's component name. */
const recordExamples: Record<string, unknown> = {
  Settings: { ...settings, version: 2, updatedAt: at },
  Location: { ...location, ...meta(ids.location) },
  Client: { ...client, status: 'active', customFields: { [ids.field]: 'curly' }, ...meta(ids.client) },
  ClientField: { ...clientField, ...meta(ids.field) },
  Booking: { ...booking, status: 'confirmed', ...meta(ids.booking), allowedActions: ['cancel', 'complete', 'no-show', 'update'] },
  Invoice: { ...invoice, status: 'draft', ...meta(ids.invoice), allowedActions: ['issue', 'update', 'delete'] },
  Estimate: { ...estimate, status: 'draft', ...meta(ids.estimate), allowedActions: ['issue', 'update', 'delete'] },
  Order: { ...order, status: 'New', ...meta(ids.order) },
  Lead: { ...lead, status: 'New', ...meta(ids.lead) },
  Rule: { ...rule, businessHoursOnly: false, enabled: true, ...meta(ids.rule) },
  TenantPlan: { plan: 'standard', smsSegmentsPerMonth: 500, version: 1, updatedAt: at },
  BookingListItem: { ...booking, status: 'confirmed', ...meta(ids.booking), allowedActions: ['cancel', 'complete', 'no-show', 'update'], client: { firstName: 'Ana', lastName: 'García' }, location: { name: 'Centro' } },
  InvoiceListItem: { ...invoice, status: 'draft', ...meta(ids.invoice), allowedActions: ['issue', 'update', 'delete'], client: { firstName: 'Ana', lastName: 'García' } },
  OrderListItem: { ...order, status: 'New', ...meta(ids.order), client: { firstName: 'Ana', lastName: 'García' }, location: { name: 'Centro' } },
  SenderSettings: {
    version: 3,
    effectiveFrom: '=?UTF-8?B?U2Fsw7NuIEx1Y8OtYQ==?= <citas@salon-lucia.es>',
    replyTo: 'hola@salonlucia.example',
    status: 'verified',
    domain: {
      name: 'salon-lucia.es',
      localPart: 'citas',
      address: 'citas@salon-lucia.es',
      status: 'verified',
      dkimRecords: [{ name: 'abcdef123456._domainkey.salon-lucia.es', type: 'CNAME', value: 'abcdef123456.dkim.amazonses.com' }],
      registeredAt: at,
      checkedAt: at,
    },
    tenant: { name: 'ClientMessages-8fJq2w', sendingStatus: 'ENABLED', reputationImpact: 'LOW' },
  },
  ClientImport: {
    size: 48213,
    encoding: 'windows-1252',
    delimiter: ';',
    mapping: importMapping,
    onMatch: 'update',
    emailConsent: false,
    status: 'running',
    totalRows: 1200,
    counts: { read: 500, created: 480, updated: 12, skipped: 5, failed: 3 },
    problems: [{ line: 17, outcome: 'failed', reason: 'invalid', message: 'email "ana@" is not an email address' }],
    nextRow: 500,
    storageKey: `imports/acme/${ids.clientImport}/file.csv`,
    ...meta(ids.clientImport),
  },
  QueuedMessage: { messageId: `client.${ids.client}.message.01JQ6ZJ9KAMBNCPDQERFSGTHVJ.email`, status: 'queued' },
};

const received = { received: true, reference: '01JQ6ZK1MBNCPDQERFSGTHVJWK' };
const upload = {
  url: 'https://documents.example/staging/01JQ6ZM2NCPDQERFSGTHVJWKXM?X-Amz-Signature=…',
  method: 'PUT',
  headers: { 'content-type': 'application/pdf', 'content-length': '2048' },
  expiresAt: '2026-03-01T09:45:00.000Z',
};

/** The main answers of operations whose body is no record, by route. */
const answerExamples: Record<string, unknown> = {
  'POST /imports/uploads': { uploadId: ids.clientImport, upload: { ...upload, headers: { 'content-type': 'text/csv', 'content-length': '48213' } } },
  'GET /imports/uploads/{id}/preview': {
    encoding: 'windows-1252',
    delimiter: ';',
    header: ['Nombre', 'Apellidos', 'Correo electrónico', 'Teléfono'],
    rows: 1200,
    mapping: importMapping,
    sample: [['Ana', 'García', 'ana@example.com', '612 345 678']],
  },
  'GET /imports/{id}/report': { url: `https://documents.example/imports/${ids.clientImport}/report.csv?X-Amz-Signature=…`, expiresAt: '2026-03-01T09:40:00.000Z' },
  'POST /public/{slug}/contact': received,
  'POST /public/{slug}/messages': received,
  'POST /public/{slug}/booking-requests': {
    bookingId: ids.booking,
    status: 'confirmed',
    start: '2030-03-29T10:00:00+02:00',
    reference: received.reference,
    screenText: '¡Gracias, Ana! Tu cita de Corte del viernes, 29 de marzo de 2030 a las 10:00 está confirmada. Te hemos enviado los detalles.',
  },
  'POST /public/{slug}/documents': { documentId: '01JQ6ZM2NCPDQERFSGTHVJWKXM', upload },
  'POST /public/{slug}/documents/{id}/complete': {
    documentId: '01JQ6ZM2NCPDQERFSGTHVJWKXM',
    fileName: 'scan.pdf',
    contentType: 'application/pdf',
    size: 2048,
    status: 'uploaded',
    uploadedAt: '2026-03-01T09:35:00.000Z',
  },
  'GET /documents/{id}/download': { url: 'https://documents.example/01JQ6ZM2NCPDQERFSGTHVJWKXM?X-Amz-Signature=…', expiresAt: '2026-03-01T09:40:00.000Z' },
  'POST /templates/preview': { text: 'Confirmado, Ana: domingo 29 de marzo 10:00.', sms: { encoding: 'GSM-7', characters: 43, segments: 1 } },
  'POST /rules/bulk': { results: [{ id: ids.rule, status: 200, version: 2 }] },
  'POST /bookings/{id}/invoice': {
    number: 'F-2026-0043',
    clientId: ids.client,
    amountMinor: 4500,
    currency: 'EUR',
    issueDate: '2026-03-01',
    dueDate: '2026-03-01',
    notes: 'Corte, 2026-02-27',
    status: 'draft',
    bookingId: ids.booking,
    ...meta(ids.invoice),
    allowedActions: ['issue', 'update', 'delete'],
  },
  'GET /usage': { plan: 'standard', month: '2026-03', smsSegments: { budget: 300, used: 42, remaining: 258 } },
};

export const requestExampleOf = (route: AnyRoute): unknown => requestExamples[`${route.method} ${route.path}`];

const idOf = (schema: z.ZodType | undefined): string | undefined => {
  const id = schema?.meta()?.['id'];
  return typeof id === 'string' ? id : undefined;
};

export function responseExampleOf(route: AnyRoute, status: number): unknown {
  const answer = answerExamples[`${route.method} ${route.path}`];
  if (answer !== undefined) return answer;
  const schema = route.responses[status]?.schema;
  const record = recordExamples[idOf(schema) ?? ''];
  if (record !== undefined) return record;
  if (schema instanceof z.ZodObject && 'items' in schema.shape && 'nextCursor' in schema.shape) {
    const items = schema.shape['items'];
    const item = items instanceof z.ZodArray ? recordExamples[idOf(items.element as z.ZodType) ?? ''] : undefined;
    if (item !== undefined) return { items: [item], nextCursor: null };
  }
  return undefined;
}

/** Every route key with a request example, for the test that every body has one. */
export const routesWithRequestExamples = (): readonly string[] => Object.keys(requestExamples);
