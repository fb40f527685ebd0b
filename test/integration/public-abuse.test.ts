import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { BookingRequestForm, ContactForm, MessageForm } from '#domain/intake.ts';
import { localDynamoDbClient, startApi, type LocalApi } from './local-stack.ts';
import { apiClient, sample } from './api-client.ts';
import { postPublic, publishWidgets, tenantItemCounter } from './public-forms.ts';

/**
 * Whatever the open internet sends the public widget endpoints, a bad request gets a clear 4xx and
 * leaves no trace: no client, no lead, no booking, no conversation item, no claim.
 */

let api: LocalApi;
let counter: ReturnType<typeof tenantItemCounter>;
let stored: number;
const run = Date.now().toString(36);
const tenant = `abuse-${run}`;
const slug = `salon-abuse-${run}`;
const ids = { contactField: '', bookingField: '', location: '' };

beforeAll(async () => {
  api = await startApi();
  counter = tenantItemCounter(api);
  const business = apiClient(api, tenant);
  await publishWidgets(business, slug);
  ids.contactField = (await business('POST', '/client-fields', { label: 'Hair type', type: 'text', forms: ['contact', 'message'] })).body.id;
  ids.bookingField = (await business('POST', '/client-fields', { label: 'Allergies', type: 'text', forms: ['booking'] })).body.id;
  ids.location = (await business('POST', '/locations', sample.location)).body.id;
  // Far above what the runs need: every refusal below is the request's own fault, not the limits.
  vi.stubEnv('PUBLIC_RATE_LIMIT', '100000');
  vi.stubEnv('PUBLIC_SENDER_RATE_LIMIT', '100000');
  stored = await counter.count(tenant);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  counter?.close();
  await api?.close();
});

interface Endpoint {
  readonly path: string;
  /** The schema's fields: an unknown field is any other. */
  readonly fields: readonly string[];
  readonly valid: () => Record<string, unknown>;
  /** Fields holding free text, where markup and oversized strings go. */
  readonly textFields: readonly string[];
  /** Fields that must be a string: anything else is the wrong type. */
  readonly stringFields: readonly string[];
  /** A client field this form collects. */
  readonly collectedField: () => string;
  /** A client field that exists but that this form does not collect. */
  readonly otherFormField: () => string;
}

const person = { firstName: 'Ana', lastName: 'García', email: 'ana.abuse@example.com', phone: '+34 612 345 678' };
/** A form whose submission is the person and one text (the contact form's `message`, a message's `text`). */
const textForm = (path: string, schema: z.ZodObject, textField: string, valid: () => Record<string, unknown>): Endpoint => ({
  path,
  fields: Object.keys(schema.shape),
  valid: () => ({ ...person, ...valid() }),
  textFields: ['firstName', 'lastName', textField, 'customFields'],
  stringFields: ['firstName', 'lastName', 'email', 'phone', textField],
  collectedField: () => ids.contactField,
  otherFormField: () => ids.bookingField,
});
const endpoints: readonly Endpoint[] = [
  textForm('/contact', ContactForm, 'message', () => ({ message: 'Hola', customFields: { [ids.contactField]: 'rizado' } })),
  textForm('/messages', MessageForm, 'text', () => ({ text: '¿Tenéis hueco el martes?' })),
  {
    path: '/booking-requests',
    fields: Object.keys(BookingRequestForm.shape),
    valid: () => ({
      ...person,
      locationId: ids.location,
      service: 'Corte',
      start: '2030-05-06T10:00:00+02:00',
      end: '2030-05-06T10:45:00+02:00',
      notes: 'Primera vez',
      customFields: { [ids.bookingField]: 'ninguna' },
    }),
    textFields: ['firstName', 'lastName', 'service', 'notes', 'customFields'],
    stringFields: ['firstName', 'lastName', 'email', 'phone', 'locationId', 'service', 'start', 'end', 'notes'],
    collectedField: () => ids.bookingField,
    otherFormField: () => ids.contactField,
  },
];

const injections = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg/onload=alert(document.cookie)>',
  '</textarea><script>fetch("//evil.example")</script>',
  '<a href="javascript:alert(1)">x</a>',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  '<iframe src=//evil.example>',
  '<!--',
  '&#60;script&#62;alert(1)&#60;/script&#62;',
  '&lt;img src=x onerror=alert(1)&gt;',
  'nul\u0000byte',
  'terminal \u001b[2J escape',
];

interface BadRequest {
  readonly flaw: string;
  readonly body: string;
  readonly contentType?: string;
}

/** The valid body with `value` in `field`; a custom field value goes inside `customFields`. */
const withField = (endpoint: Endpoint, field: string, value: unknown): Record<string, unknown> =>
  field === 'customFields' ? { ...endpoint.valid(), customFields: { [endpoint.collectedField()]: value } } : { ...endpoint.valid(), [field]: value };

/** Requests that each have one flaw, most of them mixed into an otherwise valid body. */
function badRequests(endpoint: Endpoint): fc.Arbitrary<BadRequest> {
  const json = (flaw: string, body: unknown): BadRequest => ({ flaw, body: JSON.stringify(body) });
  const wrongValue = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { minLength: 1, maxLength: 3 }), fc.constant({}));
  const known = new Set(endpoint.fields);
  return fc.oneof(
    fc
      .oneof(fc.constantFrom('{', '{"firstName": ', "{'firstName': 'Ana'}", '{"a": tru', '[1, 2', 'NaN', '', 'null', '"text"', '[]'), fc.string())
      .map((body) => ({ flaw: 'not a JSON object', body })),
    fc.record({ field: fc.constantFrom(...endpoint.stringFields), value: wrongValue }).map(({ field, value }) => json(`${field} of the wrong type`, withField(endpoint, field, value))),
    fc.constant(json('no first name', { ...endpoint.valid(), firstName: undefined })),
    fc.constant(json('no email nor phone', { ...endpoint.valid(), email: undefined, phone: undefined })),
    fc
      .record({ field: fc.constantFrom(...endpoint.textFields), size: fc.integer({ min: 5001, max: 40_000 }) })
      .map(({ field, size }) => json(`oversized ${field}`, withField(endpoint, field, 'x'.repeat(size)))),
    fc.integer({ min: 9, max: 20 }).map((count) =>
      json('a body over 16 KB of values each within its limit', {
        ...endpoint.valid(),
        customFields: Object.fromEntries(Array.from({ length: count }, (_, i) => [`field${i}`, 'x'.repeat(1900)])),
      }),
    ),
    fc
      .record({ field: fc.string({ minLength: 1, maxLength: 20 }).filter((field) => !known.has(field)), value: fc.jsonValue() })
      .map(({ field, value }) => json(`unknown field ${JSON.stringify(field)}`, { ...endpoint.valid(), [field]: value })),
    fc
      .oneof(fc.constant(endpoint.otherFormField()), fc.stringMatching(/^[A-Za-z0-9_-]{1,30}$/))
      .map((field) => json(`custom field ${field}, not collected by this form`, { ...endpoint.valid(), customFields: { [field]: 'x' } })),
    fc.constant(json('a custom field value of the wrong type', withField(endpoint, 'customFields', 42))),
    fc
      .record({ field: fc.constantFrom(...endpoint.textFields), payload: fc.constantFrom(...injections), before: fc.string({ maxLength: 10 }), after: fc.string({ maxLength: 10 }) })
      .map(({ field, payload, before, after }) => json(`${JSON.stringify(payload)} in ${field}`, withField(endpoint, field, `${before}${payload}${after}`))),
    fc.constantFrom('<b>612</b>', 'javascript:alert(1)', '612 345 678 <script>').map((phone) => json('markup as a phone', { ...endpoint.valid(), phone })),
    fc.constant({ flaw: 'not sent as JSON', body: JSON.stringify(endpoint.valid()), contentType: 'text/plain' }),
  );
}

describe('every public endpoint, driven with bad requests', () => {
  it.each(endpoints.map((endpoint) => [endpoint.path, endpoint] as const))('%s answers each with a clear 4xx and stores nothing', async (_path, endpoint) => {
    await fc.assert(
      fc.asyncProperty(badRequests(endpoint), async (request) => {
        const response = await postPublic(api, slug, endpoint.path, request.body, request.contentType ? { 'content-type': request.contentType } : {});
        expect(response.status, `${request.flaw}: ${JSON.stringify(response.body)}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `${request.flaw}: ${JSON.stringify(response.body)}`).toBeLessThan(500);
        expect(response.body.error).toEqual(expect.objectContaining({ code: expect.stringMatching(/^[a-z_]+$/), message: expect.stringMatching(/\S/) }));
        expect(await counter.count(tenant), request.flaw).toBe(stored);
      }),
      { numRuns: 50 },
    );
  });

  // The property above would hold vacuously if the "valid" bodies were refused too.
  it.each(endpoints.map((endpoint) => [endpoint.path, endpoint] as const))('%s accepts the same body without its flaw', async (_path, endpoint) => {
    const response = await postPublic(api, slug, endpoint.path, endpoint.valid());
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  });
});

describe('an unknown slug', () => {
  const unknown = `nobody-${run}`;

  /** Items anywhere in the table that name the slug: a rate counter keyed by it would. */
  async function itemsNaming(text: string): Promise<number> {
    const dynamo = localDynamoDbClient();
    try {
      let count = 0;
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await dynamo.send(
          new ScanCommand({ TableName: api.env.tableName, FilterExpression: 'contains(pk, :text) OR contains(sk, :text)', ExpressionAttributeValues: { ':text': { S: text } }, Select: 'COUNT', ExclusiveStartKey: startKey }),
        );
        count += page.Count ?? 0;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return count;
    } finally {
      dynamo.destroy();
    }
  }

  it('answers 404 to every request and writes nothing, not even a rate counter', async () => {
    const documents = { firstName: 'Ana', email: 'ana@example.com', fileName: 'a.pdf', contentType: 'application/pdf', size: 10 };
    const requests = [
      ['/contact', endpoints[0]!.valid()],
      ['/messages', endpoints[1]!.valid()],
      ['/booking-requests', endpoints[2]!.valid()],
      ['/documents', documents],
      ['/documents/01J00000000000000000000000/complete', undefined],
    ] as const;
    for (let round = 0; round < 5; round++) {
      for (const [path, body] of requests) {
        const response = await postPublic(api, unknown, path, body ?? '');
        expect(response.status, `${path}: ${JSON.stringify(response.body)}`).toBe(404);
      }
    }
    expect(await itemsNaming(unknown)).toBe(0);
    // The scan does see counters: a request to the known slug leaves its sender's.
    expect((await postPublic(api, slug, '/contact', endpoints[0]!.valid())).status).toBe(202);
    expect(await itemsNaming(`rate#public#${tenant}#sender#`)).toBeGreaterThan(0);
  });
});
