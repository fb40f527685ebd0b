/**
 * Client import through the local stack, as `npm start` runs it: the file PUT to the local document
 * server by the signed URL, the import started through the API, chunks run by the import worker fed
 * by the SQS emulator. Real exports (a Latin-1 semicolon file with a Spanish header, UTF-8 with a
 * BOM and quoted line breaks), a file with duplicates and bad rows whose report lists exactly those,
 * a worker killed mid-import and resumed with no duplicate, and no message to anyone imported.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SQSEvent } from 'aws-lambda';
import { apiClient, sample, type Request } from './api-client.ts';
import { startApi, type MessagingApi } from './local-stack.ts';
import { importChunkRows } from '#domain/imports/client-import.ts';
import { clientImportKind } from '#domain/imports/client-import.ts';
import type { ImportDeps } from '#services/client-import.ts';

// Each import goes through the stream poller, the queue and the worker: minutes on a loaded machine.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

const run = Date.now().toString(36);
let api: MessagingApi;

beforeAll(async () => {
  api = await startApi({ messaging: { importWorker: (event, context) => worker(event, context) } });
});
afterAll(() => api?.close());

/** The worker the import queue feeds: the real one, unless a test puts a faulty one in for a while. */
let worker = async (event: SQSEvent, context: Parameters<typeof import('#lambdas/client-import.ts').handler>[1]) => (await import('#lambdas/client-import.ts')).handler(event, context);

async function tenant(name: string): Promise<Request> {
  const request = apiClient(api, `import-${name}-${run}`);
  expect((await request('PUT', '/settings', sample.settings, { 'if-match': '"0"' })).status).toBe(200);
  return request;
}

/** Uploads the bytes through the signed URL, as a browser would. */
async function upload(request: Request, bytes: Uint8Array): Promise<string> {
  const answer = await request('POST', '/imports/uploads', { size: bytes.length });
  expect(answer.status).toBe(200);
  const { url, headers } = answer.body.upload;
  const put = await fetch(url, { method: 'PUT', headers: Object.fromEntries(Object.entries(headers as Record<string, string>).filter(([name]) => name !== 'content-length')), body: bytes });
  expect(put.status).toBe(200);
  return answer.body.uploadId;
}

async function importFile(request: Request, bytes: Uint8Array, options: Record<string, unknown> = {}) {
  const uploadId = await upload(request, bytes);
  const started = await request('POST', '/imports', { uploadId, guess: true, onMatch: 'update', emailConsent: false, ...options });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await api.settle();
  const done = await request('GET', `/imports/${uploadId}`);
  expect(done.status).toBe(200);
  return done.body;
}

async function allClients(request: Request): Promise<any[]> {
  const clients: any[] = [];
  let cursor: string | null = null;
  do {
    const page = await request('GET', `/clients?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    clients.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return clients;
}

async function report(request: Request, importId: string): Promise<string> {
  const link = await request('GET', `/imports/${importId}/report`);
  expect(link.status).toBe(200);
  const file = await fetch(link.body.url);
  expect(file.status).toBe(200);
  return (await file.text()).replace(/^\uFEFF/, '');
}

const latin1 = (text: string): Uint8Array => Uint8Array.from([...text].map((char) => char.charCodeAt(0)));
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('importing clients from CSV', () => {
  it('reads a Latin-1 semicolon export with a Spanish header and no BOM, after previewing the guess', async () => {
    const request = await tenant('latin1');
    const bytes = latin1('Nombre;Apellidos;Correo electrónico;Teléfono;Notas\r\nMaría José;Núñez;MJ@Example.es;612 345 678;Prefiere las mañanas\r\nÁngel;Muñoz;angel@example.es;+34 699 111 222;\r\n');
    const uploadId = await upload(request, bytes);
    const preview = await request('GET', `/imports/uploads/${uploadId}/preview`);
    expect(preview.body).toEqual({
      encoding: 'windows-1252',
      delimiter: ';',
      header: ['Nombre', 'Apellidos', 'Correo electrónico', 'Teléfono', 'Notas'],
      rows: 2,
      mapping: { firstName: 'Nombre', lastName: 'Apellidos', email: 'Correo electrónico', phone: 'Teléfono', notes: 'Notas', customFields: {} },
      sample: [
        ['María José', 'Núñez', 'MJ@Example.es', '612 345 678', 'Prefiere las mañanas'],
        ['Ángel', 'Muñoz', 'angel@example.es', '+34 699 111 222', ''],
      ],
    });
    expect((await request('POST', '/imports', { uploadId, guess: true, onMatch: 'update', emailConsent: true })).status).toBe(202);
    await api.settle();
    const done = (await request('GET', `/imports/${uploadId}`)).body;
    expect(done).toMatchObject({ status: 'completed', totalRows: 2, counts: { read: 2, created: 2, updated: 0, skipped: 0, failed: 0 }, problems: [] });
    const clients = await allClients(request);
    expect(clients.map(({ firstName, lastName, email, phone, notes, consent }) => ({ firstName, lastName, email, phone, notes, consent })).sort((a, b) => a.firstName.localeCompare(b.firstName))).toEqual([
      { firstName: 'Ángel', lastName: 'Muñoz', email: 'angel@example.es', phone: '+34699111222', notes: undefined, consent: { email: true, sms: false } },
      { firstName: 'María José', lastName: 'Núñez', email: 'mj@example.es', phone: '+34612345678', notes: 'Prefiere las mañanas', consent: { email: true, sms: false } },
    ]);
    expect(await report(request, uploadId)).toBe('line,outcome,reason,message\r\n');
  });

  it('reads UTF-8 with a BOM and quoted line breaks, numbering rows by the line they start on', async () => {
    const request = await tenant('bom');
    const text = 'First name,Last name,Email,Notes,SMS consent\r\n"Zoë","O\'Brien",zoe@example.com,"Allergic to latex.\r\nAsk before dyeing.",yes\r\nLuis,,luis@,"two\r\nlines",no\r\n';
    const done = await importFile(request, new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]));
    expect(done).toMatchObject({ encoding: 'utf-8', delimiter: ',', status: 'completed', counts: { read: 2, created: 1, failed: 1 } });
    expect(done.problems).toEqual([{ line: 4, outcome: 'failed', reason: 'invalid', message: 'email "luis@" is not an email address' }]);
    const [zoe] = await allClients(request);
    expect(zoe).toMatchObject({ firstName: 'Zoë', lastName: "O'Brien", notes: 'Allergic to latex.\nAsk before dyeing.', consent: { email: false, sms: true } });
  });

  it('makes one client of the same person twice, updates or skips existing ones, and reports exactly the rows not imported', async () => {
    const request = await tenant('dupes');
    const existing = await request('POST', '/clients', { firstName: 'Eva', lastName: 'Old', email: 'eva@example.com' });
    expect(existing.status).toBe(201);
    const file = [
      'Nombre,Apellidos,Email,Telefono',
      'Ana,López,ana@example.com,600000001', // 2 created
      'Ana,López,ANA@example.com,', //          3 duplicate of 2 (email)
      ',Sin nombre,nobody@example.com,', //     4 invalid
      'Pablo,Ruiz,,600000001', //               5 duplicate of 2 (phone)
      'Eva,New,eva@example.com,', //            6 updates the existing client
      'Raúl,Bad,raul@example.com,12', //        7 invalid phone
      'Sara,,,', //                             8 created, no email or phone
    ].join('\n');
    const done = await importFile(request, utf8(file));
    expect(done.counts).toEqual({ read: 7, created: 2, updated: 1, skipped: 2, failed: 2 });
    const reportText = await report(request, done.id);
    const duplicate = '"The same person as line 2 (same email or phone): imported once, from that line"';
    expect(reportText.split('\r\n').filter(Boolean)).toEqual([
      'line,outcome,reason,message',
      `3,skipped,duplicate,${duplicate}`,
      '4,failed,invalid,firstName is empty',
      `5,skipped,duplicate,${duplicate}`,
      '7,failed,invalid,"phone ""12"" is not a valid phone number for ES"',
    ]);
    const clients = await allClients(request);
    expect(clients.map((client) => client.firstName).sort()).toEqual(['Ana', 'Eva', 'Sara']);
    expect(clients.find((client) => client.firstName === 'Eva')).toMatchObject({ id: existing.body.id, lastName: 'New', version: 2 });

    // The same file again, skipping matches: nothing new, not even the row without email or phone.
    const again = await importFile(request, utf8(file), { onMatch: 'skip' });
    expect(again.counts).toEqual({ read: 7, created: 0, updated: 0, skipped: 5, failed: 2 });
    expect((await allClients(request)).length).toBe(3);
  });

  it('refuses bad starts with a 4xx and stores nothing', async () => {
    const request = await tenant('refusals');
    expect((await request('POST', '/imports/uploads', { size: 10 * 1024 * 1024 + 1 })).status).toBe(413);
    const { uploadId } = (await request('POST', '/imports/uploads', { size: 10 })).body;
    expect((await request('POST', '/imports', { uploadId, guess: true, onMatch: 'update', emailConsent: false })).status).toBe(404);
    const real = await upload(request, utf8('Nombre,Email\nAna,ana@example.com\n'));
    const badMapping = await request('POST', '/imports', { uploadId: real, mapping: { firstName: 'Nombre', phone: 'Móvil' }, onMatch: 'update', emailConsent: false });
    expect(badMapping.status).toBe(400);
    expect(badMapping.body.error.details.issues).toEqual([expect.objectContaining({ path: 'mapping.phone' })]);
    expect((await request('POST', '/imports', { uploadId: real, onMatch: 'update', emailConsent: false })).status).toBe(400);
    expect((await request('POST', '/imports', { uploadId: real, guess: true, onMatch: 'update' })).status).toBe(400);
    expect((await request('GET', `/imports/${real}`)).status).toBe(404);
    const unreadable = await upload(request, utf8('a,b\n"never closed,1\n'));
    expect((await request('GET', `/imports/uploads/${unreadable}/preview`)).status).toBe(422);
    const done = await importFile(request, utf8('Nombre,Email\nAna,ana@example.com\n'));
    expect((await request('POST', '/imports', { uploadId: done.id, guess: true, onMatch: 'update', emailConsent: false })).status).toBe(409);
    expect((await request('GET', '/imports')).body.items.map((item: { id: string }) => item.id)).toEqual([done.id]);
  });

  it('survives a worker killed mid-import (after the first checkpoint, before queueing the next chunk; after writing the last chunk’s clients, before its checkpoint) with no duplicate', async () => {
    const request = await tenant('crash');
    const rows = importChunkRows + 50;
    const lines = ['First name,Email,Phone'];
    for (let i = 1; i <= rows; i++) lines.push(i % 10 === 0 ? `Guest ${i},,` : `Client ${i},client${i}@example.com,+3460${String(i).padStart(7, '0')}`);
    lines.push('Client 1 again,client1@example.com,'); // the same person as line 2
    const { appDeps } = await import('#wiring');
    const { importBatch } = await import('#lambdas/client-import.ts');
    let crashes = { beforeCheckpoint: 1, beforeQueueing: 1 };
    const deps = appDeps();
    const faulty: ImportDeps = {
      ...deps,
      store: {
        ...deps.store,
        put: (async (tenantId, kind, record, options) => {
          // Dies after the chunk's clients are written, as a SIGKILL there would leave it.
          if (kind === clientImportKind && (record as { nextRow: number }).nextRow === rows + 1 && crashes.beforeCheckpoint-- > 0) throw new Error('killed before the checkpoint');
          return deps.store.put(tenantId, kind, record, options);
        }) as typeof deps.store.put,
      },
      importQueue: {
        enqueue: async (bodies) => {
          if (JSON.parse(bodies[0]!.body).fromRow === importChunkRows && crashes.beforeQueueing-- > 0) throw new Error('killed before queueing the next chunk');
          return deps.importQueue.enqueue(bodies);
        },
      },
    };
    const real = worker;
    worker = async (event) => importBatch(event.Records, faulty, 5);
    try {
      const done = await importFile(request, utf8(`${lines.join('\n')}\n`));
      expect(crashes).toEqual({ beforeCheckpoint: -1, beforeQueueing: -1 });
      expect(done).toMatchObject({ status: 'completed', counts: { read: rows + 1, created: rows, updated: 0, skipped: 1, failed: 0 } });
    } finally {
      worker = real;
    }
    const clients = await allClients(request);
    expect(clients).toHaveLength(rows);
    expect(new Set(clients.map((client) => client.firstName)).size).toBe(rows);
  });

  it('sends no message to anyone imported', async () => {
    await api.settle();
    expect(await api.sentEmails()).toEqual([]);
    expect(await api.sentSms()).toEqual([]);
  });
});
