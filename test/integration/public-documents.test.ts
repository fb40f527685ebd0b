import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { documentTypes, maxDocumentBytes, UploadRequest } from '#domain/documents.ts';
import { useClock } from '#adapters/clock.ts';
import { startApi, type MessagingApi } from './local-stack.ts';
import { apiClient, sample, type Request } from './api-client.ts';
import { postPublic, publishWidgets, tenantItemCounter } from './public-forms.ts';
import { corsOf } from '../support/cors.ts';

let api: MessagingApi;
let business: Request;
let counter: ReturnType<typeof tenantItemCounter>;
const run = Date.now().toString(36);
const tenant = `documents-${run}`;
const slug = `salon-documents-${run}`;
let policyField: string;
let hairField: string;

beforeAll(async () => {
  api = await startApi({ messaging: true });
  counter = tenantItemCounter(api);
  business = apiClient(api, tenant);
  await publishWidgets(business, slug);
  const autoReplies = { ...sample.automatedMessages.autoReplies, document: { enabled: true } };
  expect((await business('PUT', '/settings/automated-messages', { ...sample.automatedMessages, autoReplies }, { 'if-match': '"0"' })).status).toBe(200);
  policyField = (await business('POST', '/client-fields', { label: 'Policy number', type: 'text', forms: ['document'] })).body.id;
  hairField = (await business('POST', '/client-fields', { label: 'Hair type', type: 'select', options: ['curly', 'straight'], forms: ['contact'] })).body.id;
  // Far above what the tests need, all from 127.0.0.1: every refusal here is the request's own fault, not a rate limit.
  vi.stubEnv('PUBLIC_RATE_LIMIT', '100000');
  vi.stubEnv('PUBLIC_SENDER_RATE_LIMIT', '100000');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  counter?.close();
  await api?.close();
});

const pdf = (text: string) => Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`);

interface Ticket {
  documentId: string;
  upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string };
}

function uploadRequest(bytes: Buffer, changes: Record<string, unknown> = {}) {
  return { firstName: 'Ana', email: 'ana.documents@example.com', fileName: 'Póliza 2026.pdf', contentType: 'application/pdf', size: bytes.length, ...changes };
}

async function requestUpload(body: object): Promise<Ticket> {
  const response = await postPublic(api, slug, '/documents', body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

/** PUT to the signed URL as the widget's browser would, with the headers it was given unless told otherwise. */
const put = (ticket: Ticket, bytes: Buffer, headers = ticket.upload.headers) =>
  fetch(ticket.upload.url, { method: 'PUT', headers: Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'content-length')), body: bytes });

const complete = (documentId: string) => postPublic(api, slug, `/documents/${documentId}/complete`, undefined);

async function clientWithEmail(email: string): Promise<{ id: string; customFields: Record<string, unknown>; status: string } | undefined> {
  const clients = await business('GET', '/clients?limit=100');
  return clients.body.items.find((client: { email?: string }) => client.email === email);
}

/** The tenant's files in the local documents folder, staged uploads and confirmed documents alike, as keys. */
const storedFiles = async (): Promise<string[]> => {
  const folders = await Promise.all(
    ['uploads', 'documents'].map(async (prefix) => {
      try {
        const names = await readdir(`${api.documentsDir}/${prefix}/${tenant}`);
        return names.filter((name) => !name.endsWith('.meta.json')).map((name) => `${prefix}/${tenant}/${name}`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
    }),
  );
  return folders.flat();
};

describe('a document from the widget', () => {
  const bytes = pdf('policy');
  let ticket: Ticket;
  let clientId: string;

  it('gets a signed upload URL on the local server for exactly its type and size, to a staging key', async () => {
    ticket = await requestUpload(uploadRequest(bytes, { note: 'My new policy', customFields: { [policyField]: 'P-123' } }));
    expect(ticket.upload).toEqual({
      url: expect.stringMatching(new RegExp(`^${api.baseUrl}/local-documents/uploads/${tenant}/${ticket.documentId}\\?`)),
      method: 'PUT',
      headers: { 'content-type': 'application/pdf', 'content-length': String(bytes.length) },
      expiresAt: expect.any(String),
    });
    const minutes = (Date.parse(ticket.upload.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(10);
    expect(minutes).toBeLessThanOrEqual(15);
  });

  it('answers the browser’s CORS preflight for the PUT, as the S3 bucket does', async () => {
    const response = await fetch(ticket.upload.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://salon.example', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    });
    expect(corsOf(response)).toEqual({ status: 204, allowOrigin: '*', allowMethods: 'PUT,GET', allowHeaders: 'content-type', maxAge: '3600' });
  });

  it('cannot be completed before its bytes arrive', async () => {
    const early = await complete(ticket.documentId);
    expect(early.status).toBe(409);
    expect(early.body.error).toEqual({ code: 'conflict', message: 'The upload has not arrived: PUT the file to the upload URL first, then complete it' });
    expect(await clientWithEmail('ana.documents@example.com')).toBeUndefined();
  });

  it('is refused by the storage route with another length, another type or a tampered signature', async () => {
    const longer = await put(ticket, Buffer.concat([bytes, Buffer.from('more')]));
    expect(longer.status).toBe(403);
    expect(await longer.text()).toContain('<Code>SignatureDoesNotMatch</Code>');

    const html = await put(ticket, bytes, { ...ticket.upload.headers, 'content-type': 'text/html' });
    expect(html.status).toBe(403);

    const tampered = new URL(ticket.upload.url);
    tampered.searchParams.set('size', String(maxDocumentBytes));
    const forged = await fetch(tampered, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: bytes });
    expect(forged.status).toBe(403);
    expect(await storedFiles()).toEqual([]);
  });

  it('is refused without a Content-Length, as S3 does', async () => {
    const chunked = await fetch(ticket.upload.url, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
      body: new Blob([bytes]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(411);
    expect(await chunked.text()).toContain('<Code>MissingContentLength</Code>');
  });

  it('is stored by a PUT with the given headers, then completing it makes a lead card with the document, the inbound item and its auto-reply', async () => {
    expect((await put(ticket, bytes)).status).toBe(200);
    const done = await complete(ticket.documentId);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({
      documentId: ticket.documentId,
      status: 'uploaded',
      fileName: 'Póliza 2026.pdf',
      contentType: 'application/pdf',
      size: bytes.length,
      uploadedAt: expect.any(String),
    });

    const client = await clientWithEmail('ana.documents@example.com');
    expect(client).toMatchObject({ status: 'lead', customFields: { [policyField]: 'P-123' } });
    clientId = client!.id;
    const documents = await business('GET', `/clients/${clientId}/documents`);
    expect(documents.status).toBe(200);
    expect(documents.body).toEqual({
      items: [
        expect.objectContaining({
          id: ticket.documentId,
          clientId,
          status: 'uploaded',
          fileName: 'Póliza 2026.pdf',
          size: bytes.length,
          note: 'My new policy',
          uploadedAt: done.body.uploadedAt,
        }),
      ],
      nextCursor: null,
    });
    expect(documents.body.items[0]).not.toHaveProperty('submitter');
    expect(documents.body.items[0]).not.toHaveProperty('expiresAt');

    await api.settle();
    const conversation = await business('GET', `/clients/${clientId}/messages`);
    expect(conversation.body.items).toContainEqual(
      expect.objectContaining({ direction: 'outbound', messageType: 'auto_reply_document', channel: 'email', to: 'ana.documents@example.com', status: 'sent' }),
    );
    expect(conversation.body.items.filter((item: { direction: string }) => item.direction === 'inbound')).toEqual([
      expect.objectContaining({
        direction: 'inbound',
        channel: 'web',
        messageType: 'document_upload',
        status: 'received',
        text: 'My new policy',
        entity: { kind: 'document', id: ticket.documentId },
        replyChannel: 'email',
        replyTo: 'ana.documents@example.com',
      }),
    ]);
  });

  it('completes again as a no-op: the same answer, one document, one inbound item, one auto-reply', async () => {
    const before = await counter.count(tenant);
    const again = await complete(ticket.documentId);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ documentId: ticket.documentId, status: 'uploaded' });
    await api.settle();
    expect(await counter.count(tenant)).toBe(before);
    const conversation = await business('GET', `/clients/${clientId}/messages`);
    expect(conversation.body.items.filter((item: { messageType: string }) => item.messageType === 'document_upload')).toHaveLength(1);
    expect((await api.sentEmails()).filter((email) => email.destination.to.includes('ana.documents@example.com'))).toHaveLength(1);
  });

  it('downloads, for the business, the same bytes under the file’s name', async () => {
    const link = await business('GET', `/documents/${ticket.documentId}/download`);
    expect(link.status).toBe(200);
    expect(Date.parse(link.body.expiresAt)).toBeGreaterThan(Date.now());
    const file = await fetch(link.body.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('Póliza 2026.pdf')}`);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(bytes);

    // The link is for reading only: the same signature does not let anyone write.
    expect((await fetch(link.body.url, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: bytes })).status).toBe(403);
  });

  it('keeps the file the business downloads when the upload URL, still valid, sends other bytes of the same size and type', async () => {
    const other = pdf('POLICY');
    expect(other.length).toBe(bytes.length);
    expect(other).not.toEqual(bytes);
    // The URL still works, but only for the staging copy; completing again does not copy it.
    expect((await put(ticket, other)).status).toBe(200);
    expect((await complete(ticket.documentId)).status).toBe(200);

    const link = await business('GET', `/documents/${ticket.documentId}/download`);
    const file = await fetch(link.body.url);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(bytes);
  });

  it('makes one inbound item when the widget completes twice at once', async () => {
    const twice = pdf('twice');
    const next = await requestUpload(uploadRequest(twice, { fileName: 'twice.pdf' }));
    expect((await put(next, twice)).status).toBe(200);
    const answers = await Promise.all([complete(next.documentId), complete(next.documentId)]);
    expect(answers.map((answer) => [answer.status, answer.body.documentId])).toEqual([
      [200, next.documentId],
      [200, next.documentId],
    ]);
    await api.settle();
    const conversation = await business('GET', `/clients/${clientId}/messages`);
    expect(conversation.body.items.filter((item: { entity?: { id: string } }) => item.entity?.id === next.documentId)).toHaveLength(1);
    // One auto-reply for each document so far.
    expect((await api.sentEmails()).filter((email) => email.destination.to.includes('ana.documents@example.com'))).toHaveLength(2);
  });

  it('goes to the card of a client the email already matches, newest first in its documents', async () => {
    const second = pdf('second');
    const next = await requestUpload(uploadRequest(second, { firstName: 'Ana María', fileName: 'scan.pdf' }));
    expect((await put(next, second)).status).toBe(200);
    expect((await complete(next.documentId)).status).toBe(200);

    const clients = await business('GET', '/clients?limit=100');
    expect(clients.body.items.filter((client: { email?: string }) => client.email === 'ana.documents@example.com')).toHaveLength(1);
    const first = await business('GET', `/clients/${clientId}/documents?limit=1`);
    expect(first.body.items.map((document: { id: string }) => document.id)).toEqual([next.documentId]);
    const rest = await business('GET', `/clients/${clientId}/documents?limit=5&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(rest.body.items.map((document: { fileName: string }) => document.fileName)).toEqual(['twice.pdf', 'Póliza 2026.pdf']);
  });
});

describe('the business’s document routes', () => {
  it('answer 404 for an unknown client, and for a document that is unknown, pending or another business’s', async () => {
    expect((await business('GET', '/clients/nobody/documents')).status).toBe(404);
    expect((await business('GET', '/documents/nothing/download')).status).toBe(404);
    const pending = await requestUpload(uploadRequest(pdf('never sent'), { email: 'pending@example.com' }));
    const response = await business('GET', `/documents/${pending.documentId}/download`);
    expect(response.status).toBe(404);
    expect(response.body.error.message).toBe(`document ${pending.documentId} was not found`);

    const other = apiClient(api, `documents-other-${run}`);
    expect((await other('GET', `/documents/${pending.documentId}/download`)).status).toBe(404);
    // Nor can another business's widget complete it.
    await publishWidgets(other, `salon-other-${run}`);
    expect((await postPublic(api, `salon-other-${run}`, `/documents/${pending.documentId}/complete`, undefined)).status).toBe(404);
  });

  it('need a token', async () => {
    expect((await fetch(`${api.baseUrl}/documents/any/download`)).status).toBe(401);
  });
});

describe('bad upload requests', () => {
  const bytes = pdf('bad');
  // The field ids exist only once beforeAll ran, hence paths that may be computed late.
  const refusals: [string, () => Promise<{ status: number; body: any }>, number, string | (() => string)][] = [
    ['a type that is not accepted', () => postPublic(api, slug, '/documents', uploadRequest(bytes, { contentType: 'text/html', fileName: 'page.html' })), 400, 'contentType'],
    ['an extension of another type', () => postPublic(api, slug, '/documents', uploadRequest(bytes, { fileName: 'scan.exe' })), 400, 'fileName'],
    ['a file over 10 MiB', () => postPublic(api, slug, '/documents', uploadRequest(bytes, { size: maxDocumentBytes + 1 })), 413, ''],
    ['an unknown field', () => postPublic(api, slug, '/documents', uploadRequest(bytes, { folder: '../..' })), 400, 'folder'],
    ['an unknown custom field', () => postPublic(api, slug, '/documents', uploadRequest(bytes, { customFields: { nope: 'x' } })), 400, 'customFields.nope'],
    ['a field of another form', () => postPublic(api, slug, '/documents', uploadRequest(bytes, { customFields: { [hairField]: 'curly' } })), 400, () => `customFields.${hairField}`],
    ['a script in the name', () => postPublic(api, slug, '/documents', uploadRequest(bytes, { firstName: '<script>alert(1)</script>' })), 400, 'firstName'],
    ['a script in the file name', () => postPublic(api, slug, '/documents', uploadRequest(bytes, { fileName: '<svg onload=alert(1)>.pdf' })), 400, 'fileName'],
    ['a script link in the note', () => postPublic(api, slug, '/documents', uploadRequest(bytes, { note: 'javascript:alert(1)' })), 400, 'note'],
    ['a path as file name', () => postPublic(api, slug, '/documents', uploadRequest(bytes, { fileName: '../../secrets.pdf' })), 400, 'fileName'],
    ['a phone that is not one', () => postPublic(api, slug, '/documents', uploadRequest(bytes, { email: undefined, phone: '123' })), 400, 'phone'],
    ['malformed JSON', () => postPublic(api, slug, '/documents', '{"firstName": "Ana"'), 400, ''],
    ['a body over the public cap', () => postPublic(api, slug, '/documents', uploadRequest(bytes, { note: 'x'.repeat(20_000) })), 413, ''],
    ['an unknown business', () => postPublic(api, `nobody-${run}`, '/documents', uploadRequest(bytes)), 404, ''],
    ['completing at an unknown business', () => postPublic(api, `nobody-${run}`, `/documents/${'D'.repeat(26)}/complete`, undefined), 404, ''],
    ['completing an unknown document', () => complete('D'.repeat(26)), 404, ''],
  ];

  it.each(refusals)('refuses %s with a clear 4xx and stores nothing', async (_case, send, status, path) => {
    const before = await counter.count(tenant);
    const files = await storedFiles();
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.body.error.message).toEqual(expect.any(String));
    if (path) expect(response.body.error.details.issues.map((issue: { path: string }) => issue.path)).toContain(typeof path === 'string' ? path : path());
    expect(await counter.count(tenant)).toBe(before);
    expect(await storedFiles()).toEqual(files);
  });
});

describe('the upload request, driven with bad file descriptions', () => {
  const known = new Set(Object.keys(UploadRequest.shape));
  const accepted = new Set(Object.keys(documentTypes));
  const valid = uploadRequest(pdf('property'));
  const dangerous = ['/', '\\', '..\\', '\u0000', '\u001b[2J', '\u202E', '\n', '<script>', '<img src=x onerror=alert(1)>', 'javascript:', '&#60;'];

  const flaws = fc.oneof(
    fc
      .record({ before: fc.string({ maxLength: 20 }), payload: fc.constantFrom(...dangerous), after: fc.string({ maxLength: 20 }) })
      // Inside the name: a line break at either end is whitespace the name is trimmed of, not a flaw.
      .map(({ before, payload, after }) => ({ flaw: `${JSON.stringify(payload)} in the file name`, body: { ...valid, fileName: `a${before}${payload}${after}.pdf` } })),
    fc.integer({ min: 197, max: 400 }).map((length) => ({ flaw: `a ${length + 4}-character file name`, body: { ...valid, fileName: `${'a'.repeat(length)}.pdf` } })),
    fc.constantFrom('exe', 'html', 'svg', 'js', 'pdf.exe', 'pdf.html', '').map((extension) => ({ flaw: `.${extension} as a PDF`, body: { ...valid, fileName: `scan.${extension}` } })),
    fc
      .oneof(fc.string(), fc.constantFrom('text/html', 'image/svg+xml', 'application/x-msdownload', 'application/pdf; charset=utf-8', 'APPLICATION/PDF'))
      .filter((type) => !accepted.has(type))
      .map((contentType) => ({ flaw: `type ${JSON.stringify(contentType)}`, body: { ...valid, contentType } })),
    fc
      .oneof(fc.integer({ max: 0 }), fc.integer({ min: maxDocumentBytes + 1 }), fc.double().filter((size) => !Number.isInteger(size)), fc.constant('2048'))
      .map((size) => ({ flaw: `size ${size}`, body: { ...valid, size } })),
    fc
      .record({ field: fc.string({ minLength: 1, maxLength: 20 }).filter((field) => !known.has(field)), value: fc.jsonValue() })
      .map(({ field, value }) => ({ flaw: `unknown field ${JSON.stringify(field)}`, body: { ...valid, [field]: value } })),
  );

  it('answers each with a clear 4xx, and stores no record and no file', async () => {
    const files = await storedFiles();
    await fc.assert(
      // Counted around each run, so a failing run leaves shrinking a fair start.
      fc.asyncProperty(flaws, async ({ flaw, body }) => {
        const before = await counter.count(tenant);
        const response = await postPublic(api, slug, '/documents', body);
        expect(response.status, `${flaw}: ${JSON.stringify(response.body)}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `${flaw}: ${JSON.stringify(response.body)}`).toBeLessThan(500);
        expect(response.body.error.message, flaw).toMatch(/\S/);
        expect(await counter.count(tenant), flaw).toBe(before);
      }),
      { numRuns: 40 },
    );
    expect(await storedFiles()).toEqual(files);
  });

  // The property would hold vacuously if the body it starts from were refused too.
  it('accepts the body it starts from', async () => {
    expect((await postPublic(api, slug, '/documents', valid)).status).toBe(201);
  });
});

describe('the upload URL', () => {
  it('is refused by the storage route for another key, and once its time is over', async () => {
    const bytes = pdf('late');
    const ticket = await requestUpload(uploadRequest(bytes, { email: 'late@example.com' }));
    const elsewhere = new URL(ticket.upload.url);
    elsewhere.pathname = elsewhere.pathname.replace(ticket.documentId, 'someone-else');
    expect((await fetch(elsewhere, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: bytes })).status).toBe(403);

    // The local server reads the clock the handlers signed with.
    const restore = useClock(() => new Date(Date.parse(ticket.upload.expiresAt) + 1000));
    try {
      const late = await put(ticket, bytes);
      expect(late.status).toBe(403);
      expect(await late.text()).toContain('<Message>Request has expired</Message>');
    } finally {
      restore();
    }
    expect((await complete(ticket.documentId)).status).toBe(409);
  });
});
