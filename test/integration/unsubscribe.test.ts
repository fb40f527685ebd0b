import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type MessagingApi } from './local-stack.ts';
import { apiClient, sample, type Request } from './api-client.ts';
import type { SentEmail } from '#local/ses-local.ts';
import { generateSecret } from '#local/token-key.ts';
import { signUnsubscribeToken } from '#domain/unsubscribe-token.ts';

/**
 * Unsubscribe through the real local path on an injected clock: a follow-up email's List-Unsubscribe
 * link (aws-ses-v2-local's store), its page in the client's language, the one-click POST, and the
 * messages after it: the next follow-up not sent (`unsubscribed`), the reminder still sent.
 */
let api: MessagingApi;
let request: Request;
let now = new Date('2026-04-01T09:00:00Z');
const tenant = `unsub-${Date.now()}`;
let location: string;

const automated = {
  ...sample.automatedMessages,
  bookingConfirmation: { sms: false },
  bookingReminders: [{ before: { amount: 1, unit: 'days' } }],
  followUp: { mode: 'automatic', after: { amount: 2, unit: 'hours' } },
};
const form = { 'content-type': 'application/x-www-form-urlencoded' };

beforeAll(async () => {
  api = await startApi({ messaging: { clock: () => now } });
  request = apiClient(api, tenant);
  expect((await request('PUT', '/settings', sample.settings, { 'if-match': '"0"' })).status).toBe(200);
  expect((await request('PUT', '/settings/automated-messages', automated, { 'if-match': '"0"' })).status).toBe(200);
  location = (await request('POST', '/locations', { name: 'Centro', timeZone: 'Europe/Madrid' })).body.id;
  await api.settle();
});
afterAll(() => api?.close());

/** Moves the clock to `iso`, fires what is due, and returns the emails to `to` that went out meanwhile. */
const at = (iso: string, to: string): Promise<SentEmail[]> => api.emailsWhenClockMoves(() => (now = new Date(iso)), to);
const header = (email: SentEmail, name: string) => email.headers?.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase())?.value;
/** The link's path and query on the local API, from the List-Unsubscribe header's `<url>`. */
const pathOf = (url: string) => url.slice(api.baseUrl.length);
const conversation = async (clientId: string): Promise<{ messageType: string; status: string; reason?: string }[]> =>
  (await request('GET', `/clients/${clientId}/messages?limit=100`)).body.items;

describe('one-click unsubscribe from a follow-up', () => {
  let client: { id: string; email: string };
  let link: string;

  it('the follow-up carries List-Unsubscribe and List-Unsubscribe-Post; the reminder only the preferences link', async () => {
    const email = `ana-${Date.now()}@unsub.example`;
    client = { id: (await request('POST', '/clients', { firstName: 'Ana', email, language: 'es', consent: { email: true, sms: false } })).body.id, email };
    expect((await request('POST', '/bookings', sample.booking(client.id, location, '2026-04-14T10:00:00+02:00', '2026-04-14T10:45:00+02:00'))).status).toBe(201);
    await api.settle();

    const [reminder] = await at('2026-04-13T08:00:00Z', email);
    expect(header(reminder!, 'List-Unsubscribe')).toBeUndefined();
    expect(reminder!.body.text).toMatch(/Elige qué correos recibes:\n\S+\/public\/unsubscribe\?link=\S+$/);

    // Two hours after it ends (08:45Z), the follow-up.
    const [followUp] = await at('2026-04-14T10:45:00Z', email);
    expect(header(followUp!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const url = /^<(https?:\/\/\S+\/public\/unsubscribe\?link=\S+)>$/.exec(header(followUp!, 'List-Unsubscribe') ?? '')?.[1];
    expect(url?.startsWith(api.baseUrl)).toBe(true);
    expect(followUp!.body.text).toContain(url);
    link = pathOf(url!);
  });

  it('opens the preferences page in the client’s language (Spanish)', async () => {
    const page = await request('GET', link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('set-cookie')).toBeNull();
    expect(page.body).toContain('<html lang="es">');
    expect(page.body).toContain('Elige qué correos te envía Salón Lucía.');
    expect(page.body).toContain('No recibir más correos como el que he recibido');
  });

  it('a one-click POST turns off follow-ups and records it on the card; a repeat changes nothing', async () => {
    const done = await request('POST', link, 'List-Unsubscribe=One-Click', form);
    expect(done.status).toBe(200);
    expect(done.headers.get('location')).toBeNull();
    expect(done.body).toContain('Listo: Salón Lucía ya no te enviará correos como ese.');
    const card = (await request('GET', `/clients/${client.id}`)).body;
    expect(card.unsubscribed).toEqual({ email: { booking_follow_up: { at: '2026-04-14T10:45:00.000Z', source: 'one_click' } } });

    now = new Date('2026-04-14T11:00:00Z');
    expect((await request('POST', link, 'List-Unsubscribe=One-Click', form)).status).toBe(200);
    const again = (await request('GET', `/clients/${client.id}`)).body;
    expect(again.version).toBe(card.version);
    expect(again.unsubscribed).toEqual(card.unsubscribed);
  });

  it('the next follow-up is not sent (unsubscribed), while the reminder still goes', async () => {
    now = new Date('2026-04-15T09:00:00Z');
    expect((await request('POST', '/bookings', sample.booking(client.id, location, '2026-04-21T10:00:00+02:00', '2026-04-21T10:45:00+02:00'))).status).toBe(201);
    await api.settle();
    expect(await at('2026-04-20T08:00:00Z', client.email)).toHaveLength(1);
    expect(await at('2026-04-21T10:45:00Z', client.email)).toEqual([]);
    const messages = await conversation(client.id);
    expect(messages.filter((item) => item.messageType === 'booking_reminder').map((item) => item.status)).toEqual(['sent', 'sent']);
    expect(messages.filter((item) => item.messageType === 'booking_follow_up').map(({ status, reason }) => ({ status, reason }))).toEqual(
      expect.arrayContaining([{ status: 'sent', reason: undefined }, { status: 'not_sent', reason: 'unsubscribed' }]),
    );
  });

  it('the page’s form can turn off all email', async () => {
    const done = await request('POST', link, 'scope=all', form);
    expect(done.status).toBe(200);
    expect(done.body).toContain('Listo: Salón Lucía ya no te enviará correos.');
    expect((await request('GET', `/clients/${client.id}`)).body.unsubscribed.email.all).toEqual({ at: now.toISOString(), source: 'preferences_page' });
  });

  it('a forged, tampered or unknown link gets the same neutral 400 page, whoever it names', async () => {
    const token = decodeURIComponent(link.split('link=')[1]!);
    const other = await signUnsubscribeToken(generateSecret(), { tenantId: tenant, clientId: client.id, channel: 'email', kind: 'booking_follow_up' }, now);
    const [head, , signature] = token.split('.');
    const claims = Buffer.from(JSON.stringify({ t: tenant, c: 'no-such-client', ch: 'email', iss: 'client-messages/unsubscribe', aud: 'unsubscribe', exp: 4102444800 })).toString('base64url');
    const answers = await Promise.all(
      [other, `${head}.${claims}.${signature}`, 'nonsense', ''].flatMap((bad) => [
        request('GET', `/public/unsubscribe?link=${encodeURIComponent(bad)}`),
        request('POST', `/public/unsubscribe?link=${encodeURIComponent(bad)}`, 'List-Unsubscribe=One-Click', form),
      ]),
    );
    const first = answers[0]!;
    expect(first.status).toBe(400);
    expect(first.body).toContain('This link is not valid or has expired.');
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body).toBe(first.body);
    }
    expect((await request('GET', `/clients/${client.id}`)).body.unsubscribed.email).toEqual({ booking_follow_up: expect.anything(), all: expect.anything() });
  });

  it('refuses a body that is not a form with 415, and an unknown field with 400, writing nothing', async () => {
    expect((await request('POST', link, { 'List-Unsubscribe': 'One-Click' })).status).toBe(415);
    const unknown = await request('POST', link, 'List-Unsubscribe=One-Click&sneaky=1', form);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.issues).toContainEqual({ path: 'sneaky', message: 'is not a known field' });
  });
});
