import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailboxOf } from '#domain/sender.ts';
import { startApi, type MessagingApi } from './local-stack.ts';
import { apiClient, sample, type Request } from './api-client.ts';

/**
 * Sending as the business, through the local stack: the email aws-ses-v2-local received shows the
 * business's name and Reply-To; a domain registered through the API gets its DKIM records, is
 * verified by the local stand-in's rule (on the first status read) and then mail goes from it; a
 * domain under `.invalid` fails and mail keeps the platform address, with the reason.
 */
let api: MessagingApi;
const run = Date.now();

beforeAll(async () => {
  api = await startApi({ messaging: true });
});
afterAll(() => api?.close());

/** A business with settings saved, a location and a client who takes email. */
async function business(name: string): Promise<{ request: Request; book: () => Promise<unknown> }> {
  const tenant = `sender-${name}-${run}`;
  const request = apiClient(api, tenant);
  expect((await request('PUT', '/settings', { ...sample.settings, businessName: 'Salón Lucía', contactEmail: 'lucia@gmail.example' }, { 'if-match': '"0"' })).status).toBe(200);
  const location = (await request('POST', '/locations', { name: 'Centro', timeZone: 'Europe/Madrid' })).body.id;
  const client = (await request('POST', '/clients', { firstName: 'Ana', email: `ana-${name}@example.com`, language: 'es', consent: { email: true, sms: false } })).body.id;
  await api.settle();
  return { request, book: () => request('POST', '/bookings', sample.booking(client, location, '2027-01-15T10:00:00+01:00', '2027-01-15T10:45:00+01:00')) };
}

/** The emails that went out while `act` ran, once everything settled. */
async function emailsDuring(act: () => Promise<unknown>) {
  const before = (await api.sentEmails()).length;
  await act();
  await api.settle();
  return (await api.sentEmails()).slice(before);
}

describe('sending as the business', () => {
  it('sends from the platform address with the business name, Reply-To its contact address', async () => {
    const { request, book } = await business('default');
    const [email] = await emailsDuring(book);
    expect(email!.from).toBe(mailboxOf('Salón Lucía', process.env.SENDER_EMAIL!));
    expect(email!.from).toMatch(/^=\?UTF-8\?B\?[^?]+\?= </);
    expect(email!.replyTo).toEqual(['lucia@gmail.example']);
    const sender = await request('GET', '/settings/sender');
    expect(sender.body).toMatchObject({ status: 'platform', effectiveFrom: email!.from, replyTo: 'lucia@gmail.example', tenant: { sendingStatus: 'ENABLED' } });
  }, 60_000);

  it('registers a domain, lists its DKIM records, is verified by the local rule, then sends from it', async () => {
    const { request, book } = await business('own');
    const before = await request('GET', '/settings/sender');
    const domain = `salon-${run}.example`;
    const registered = await request('PUT', '/settings/sender/domain', { domain, localPart: 'citas' }, { 'if-match': before.headers.get('etag')! });
    expect(registered.status).toBe(200);
    expect(registered.body).toMatchObject({ status: 'pending', domain: { name: domain, status: 'pending', address: `citas@${domain}` } });
    expect(registered.body.domain.dkimRecords).toHaveLength(3);
    for (const record of registered.body.domain.dkimRecords) expect(record).toMatchObject({ type: 'CNAME', name: expect.stringMatching(new RegExp(`\\._domainkey\\.${domain.replaceAll('.', '\\.')}$`)) });
    // Until verified, the platform address.
    const [pendingEmail] = await emailsDuring(book);
    expect(pendingEmail!.from).toBe(mailboxOf('Salón Lucía', process.env.SENDER_EMAIL!));

    const read = await request('GET', '/settings/sender');
    expect(read.body).toMatchObject({ status: 'verified', effectiveFrom: mailboxOf('Salón Lucía', `citas@${domain}`) });
    expect(read.body).not.toHaveProperty('reason');
    const [ownEmail] = await emailsDuring(book);
    expect(ownEmail!.from).toBe(mailboxOf('Salón Lucía', `citas@${domain}`));
    expect(ownEmail!.replyTo).toEqual(['lucia@gmail.example']);

    // Another business cannot take the domain.
    const other = await business('taker');
    const taken = await other.request('PUT', '/settings/sender/domain', { domain, localPart: 'hola' }, { 'if-match': '"1"' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'duplicate', details: { field: 'domain', value: domain } });

    // Back to the platform address.
    const removed = await request('DELETE', '/settings/sender/domain', undefined, { 'if-match': read.headers.get('etag')! });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ status: 'platform' });
    const [afterEmail] = await emailsDuring(book);
    expect(afterEmail!.from).toBe(mailboxOf('Salón Lucía', process.env.SENDER_EMAIL!));
  }, 120_000);

  it('keeps the platform address for a domain that fails verification, and says why', async () => {
    const { request, book } = await business('failing');
    const registered = await request('PUT', '/settings/sender/domain', { domain: `broken-${run}.invalid`, localPart: 'citas' }, { 'if-match': '"1"' });
    expect(registered.status).toBe(200);
    const read = await request('GET', '/settings/sender');
    expect(read.body).toMatchObject({ status: 'failed', reason: expect.stringContaining('failed verification'), domain: { status: 'failed' } });
    const [email] = await emailsDuring(book);
    expect(email!.from).toBe(mailboxOf('Salón Lucía', process.env.SENDER_EMAIL!));
  }, 60_000);

  it('refuses a bad domain with a 400 and a missing If-Match with a 428', async () => {
    const { request } = await business('bad');
    expect((await request('PUT', '/settings/sender/domain', { domain: 'no spaces.example', localPart: 'citas' }, { 'if-match': '"1"' })).status).toBe(400);
    expect((await request('PUT', '/settings/sender/domain', { domain: 'ok.example', localPart: 'citas' })).status).toBe(428);
    expect((await request('DELETE', '/settings/sender/domain', undefined, { 'if-match': '"1"' })).status).toBe(404);
  });
});
