import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type MessagingApi } from './local-stack.ts';
import { apiClient, sample, withoutFooter, type Request } from './api-client.ts';
import { postPublic } from './public-forms.ts';

/**
 * Issue 15, parts 2-5 through the local stack: the booking widget's confirmation screen, plans set
 * by the operator (custom texts and SMS on a paid plan, the monthly SMS budget and its notices),
 * invoicing a past appointment, and a business that never saved its settings.
 */
let api: MessagingApi;
let operator: Request;
const run = Date.now().toString(36);
let counter = 0;
const phone = () => `+3462${String(++counter).padStart(7, '0')}`;

beforeAll(async () => {
  api = await startApi({ messaging: true });
  operator = apiClient(api, `platform-${run}`, { claims: { 'cognito:groups': ['operators'] } });
});
afterAll(() => api?.close());

/** A business with its settings (a contact email for its notices) and a location. */
async function business(name: string, changes: Record<string, unknown> = {}): Promise<{ tenant: string; request: Request; locationId: string; contactEmail: string }> {
  const tenant = `${name}-${run}`;
  const request = apiClient(api, tenant);
  const contactEmail = `owner-${tenant}@example.com`;
  expect((await request('PUT', '/settings', { ...sample.settings, contactEmail, slug: `salon-${tenant}`, ...changes }, { 'if-match': '"0"' })).status).toBe(200);
  const locationId = (await request('POST', '/locations', sample.location)).body.id;
  return { tenant, request, locationId, contactEmail };
}

async function setPlan(tenant: string, plan: Record<string, unknown>) {
  const current = await operator('GET', `/operator/tenants/${tenant}/plan`);
  const saved = await operator('PUT', `/operator/tenants/${tenant}/plan`, plan, { 'if-match': current.headers.get('etag')! });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return saved;
}

async function smsClient(request: Request): Promise<{ id: string; phone: string }> {
  const created = await request('POST', '/clients', { firstName: 'Ana', phone: phone(), language: 'es', consent: { email: true, sms: true } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id: created.body.id, phone: created.body.phone };
}

type Item = { id: string; direction: string; channel: string; status: string; reason?: string };
const outboundSms = async (request: Request, clientId: string): Promise<Item[]> =>
  (await request('GET', `/clients/${clientId}/messages?limit=100`)).body.items.filter((item: Item) => item.direction === 'outbound' && item.channel === 'sms');

describe('the plan is the operator’s', () => {
  it('refuses a business token on the operator routes, and lets an operator set it', async () => {
    const { tenant, request } = await business('plan-owner');
    const mine = await request('PUT', `/operator/tenants/${tenant}/plan`, { plan: 'pro' }, { 'if-match': '"0"' });
    expect(mine.status).toBe(403);
    expect(mine.body.error.code).toBe('forbidden');
    expect((await request('GET', `/operator/tenants/${tenant}/plan`)).status).toBe(403);
    // Until the operator sets one, the business is on the default plan.
    expect((await operator('GET', `/operator/tenants/${tenant}/plan`)).body).toEqual({ plan: 'standard', version: 0 });
    const set = await setPlan(tenant, { plan: 'pro' });
    expect(set.body).toMatchObject({ plan: 'pro', version: 1 });
    expect((await request('GET', '/usage')).body).toMatchObject({ plan: 'pro', smsSegments: { budget: 1500, used: 0, remaining: 1500 } });
    // A stale version is refused as any If-Match is.
    expect((await operator('PUT', `/operator/tenants/${tenant}/plan`, { plan: 'free' }, { 'if-match': '"0"' })).status).toBe(412);
  });
});

describe('the free plan', () => {
  it('cannot save custom texts (403 naming the plan) and sends no SMS', async () => {
    const { tenant, request } = await business('free-plan');
    await setPlan(tenant, { plan: 'free' });
    const page = (await request('GET', '/settings/automated-messages')).body;
    const { version: _version, updatedAt: _updatedAt, ...fields } = page;
    const custom = await request('PUT', '/settings/automated-messages', { ...fields, bookingConfirmation: { sms: true, customText: { sms: 'Hola {{ client.firstName }}' } } }, { 'if-match': '"0"' });
    expect(custom.status).toBe(403);
    expect(custom.body.error).toMatchObject({ code: 'plan_required', details: { plan: 'free', requires: ['standard', 'pro'] } });
    expect(custom.body.error.message).toContain('free plan');
    const screen = await request('PUT', '/settings/automated-messages', { ...fields, bookingConfirmation: { sms: false, screenText: { es: '¡Hecho!' } } }, { 'if-match': '"0"' });
    expect(screen.status).toBe(403);
    const override = await request('PUT', '/templates/booking_confirmation/sms', sample.template, { 'if-match': '"0"' });
    expect(override.status).toBe(403);
    expect(override.body.error.details.plan).toBe('free');
    // Nothing was stored: the page is still the defaults, and a page without custom texts saves.
    expect((await request('GET', '/settings/automated-messages')).body.version).toBe(0);
    expect((await request('PUT', '/settings/automated-messages', { ...fields, bookingConfirmation: { sms: true } }, { 'if-match': '"0"' })).status).toBe(200);

    const ana = await smsClient(request);
    const before = (await api.sentSms()).length;
    expect((await request('POST', `/clients/${ana.id}/messages`, { channel: 'sms', text: 'Hola' })).status).toBe(202);
    await api.settle();
    expect((await api.sentSms()).slice(before).filter((sms) => sms.to === ana.phone)).toEqual([]);
    expect(await outboundSms(request, ana.id)).toEqual([expect.objectContaining({ status: 'not_sent', reason: 'plan' })]);
    expect((await request('GET', '/usage')).body.smsSegments).toEqual({ budget: 0, used: 0, remaining: 0 });
  });
});

describe('the monthly SMS budget', () => {
  it('stops SMS at the budget exactly with 50 sent at once against 10 segments, and notifies at 80 % and 100 % once each', async () => {
    const { tenant, request, contactEmail } = await business('sms-budget');
    await setPlan(tenant, { plan: 'standard', smsSegmentsPerMonth: 10 });
    const ana = await smsClient(request);
    const [smsBefore, emailsBefore] = [(await api.sentSms()).length, (await api.sentEmails()).length];
    const sends = await Promise.all(Array.from({ length: 50 }, (_, n) => request('POST', `/clients/${ana.id}/messages`, { channel: 'sms', text: `Aviso ${n}` })));
    expect(sends.map((send) => send.status)).toEqual(Array(50).fill(202));
    await api.settle();

    // Each is one GSM-7 segment, so exactly ten go out and forty are recorded over budget.
    expect((await api.sentSms()).slice(smsBefore).filter((sms) => sms.to === ana.phone)).toHaveLength(10);
    const outcomes = (await outboundSms(request, ana.id)).map((item) => `${item.status}${item.reason ? ` ${item.reason}` : ''}`);
    expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(10);
    expect(outcomes.filter((outcome) => outcome === 'not_sent sms_budget_exhausted')).toHaveLength(40);
    const usage = (await request('GET', '/usage')).body;
    expect(usage).toMatchObject({ plan: 'standard', smsSegments: { budget: 10, used: 10, remaining: 0 } });

    const notices = (await request('GET', '/notifications?limit=100')).body.items.filter((item: { messageType: string }) => item.messageType === 'sms_usage');
    expect(notices.map((notice: { id: string }) => notice.id).sort()).toEqual([`usage.${usage.month}.sms.100`, `usage.${usage.month}.sms.80`]);
    const emails = (await api.sentEmails()).slice(emailsBefore).filter((email) => email.destination.to.includes(contactEmail));
    expect(emails.map((email) => email.subject).sort()).toEqual(['Has usado el 80 % de los SMS de este mes', 'Se han agotado los SMS de este mes']);

    // A later SMS in the month is refused at once, and the notices are not repeated.
    await request('POST', `/clients/${ana.id}/messages`, { channel: 'sms', text: 'Otro' });
    await api.settle();
    expect((await api.sentSms()).slice(smsBefore).filter((sms) => sms.to === ana.phone)).toHaveLength(10);
    expect((await api.sentEmails()).slice(emailsBefore).filter((email) => email.destination.to.includes(contactEmail))).toHaveLength(2);
  }, 180_000);
});

describe('the booking widget’s confirmation screen', () => {
  const requestFor = (locationId: string, language: string) => ({
    firstName: 'Claire',
    email: `claire-${++counter}@example.com`,
    language,
    locationId,
    service: 'Coupe',
    start: '2030-05-06T10:00:00+02:00',
    end: '2030-05-06T10:45:00+02:00',
  });

  it('answers a confirmed booking with its text in the visitor’s language, the business’s own where it wrote one', async () => {
    const { request, tenant, locationId } = await business('screen-confirmed');
    const slug = `salon-${tenant}`;
    const fr = await postPublic(api, slug, '/booking-requests', requestFor(locationId, 'fr'));
    expect(fr.status).toBe(201);
    expect(fr.body.status).toBe('confirmed');
    expect(fr.body.screenText).toBe('Merci, Claire ! Votre rendez-vous pour Coupe le lundi 6 mai 2030 à 10:00 est confirmé. Nous vous en avons envoyé le détail.');

    const { version: _version, updatedAt: _updatedAt, ...fields } = (await request('GET', '/settings/automated-messages')).body;
    const own = { ...fields, bookingConfirmation: { sms: false, screenText: { es: '¡Listo, {{ client.firstName }}! Te esperamos el {{ booking.date }} en {{ location.name }}.' } } };
    expect((await request('PUT', '/settings/automated-messages', own, { 'if-match': '"0"' })).status).toBe(200);
    const es = await postPublic(api, slug, '/booking-requests', requestFor(locationId, 'es'));
    expect(es.body.screenText).toBe(`¡Listo, Claire! Te esperamos el lunes, 6 de mayo de 2030 en ${sample.location.name}.`);
    // A language the business wrote none for keeps the default.
    expect((await postPublic(api, slug, '/booking-requests', requestFor(locationId, 'it'))).body.screenText).toMatch(/^Grazie, Claire! Il tuo appuntamento per Coupe/);

    // The preview shows the screen as the page has it.
    const preview = await request('POST', '/templates/preview', { messageType: 'booking_confirmation', channel: 'email', language: 'es' });
    expect(preview.body.screenText).toMatch(/^¡Listo, /);
    const bad = await request('PUT', '/settings/automated-messages', { ...own, bookingConfirmation: { sms: false, screenText: { es: '{{ nope.x }}' } } }, { 'if-match': '"1"' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].path).toBe('bookingConfirmation.screenText.es');
  });

  it('answers a pending booking with its own text, the same for a client and for someone new', async () => {
    const { tenant, locationId } = await business('screen-pending', { bookingApproval: 'manual' });
    const slug = `salon-${tenant}`;
    const first = requestFor(locationId, 'en');
    const known = await postPublic(api, slug, '/booking-requests', first);
    const again = await postPublic(api, slug, '/booking-requests', first);
    expect(known.body.status).toBe('pending');
    expect(known.body.screenText).toBe('Thank you, Claire! We have received your request for Coupe on Monday, May 6, 2030 at 10:00 AM and will confirm it as soon as possible.');
    // The second time the person is a client: the answer says nothing more or less.
    expect(again.body.screenText).toBe(known.body.screenText);
    expect(Object.keys(again.body).sort()).toEqual(Object.keys(known.body).sort());
  });
});

describe('invoicing a past appointment', () => {
  it('makes one draft invoice from a completed booking, linked both ways; a second call answers 409 with it', async () => {
    const { request, locationId } = await business('invoice-booking');
    const client = await request('POST', '/clients', { firstName: 'Ana', email: `ana-${run}@example.com`, consent: { email: true, sms: false } });
    const booking = await request('POST', '/bookings', { ...sample.booking(client.body.id, locationId), price: { amountMinor: 4500, currency: 'EUR' } });
    expect(booking.status, JSON.stringify(booking.body)).toBe(201);
    const refused = await request('POST', `/bookings/${booking.body.id}/invoice`, { number: `F-${run}-1` });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('conflict');
    expect((await request('POST', `/bookings/${booking.body.id}/complete`)).status).toBe(200);

    // Two calls at once: one invoice.
    const [one, two] = await Promise.all([
      request('POST', `/bookings/${booking.body.id}/invoice`, { number: `F-${run}-1` }),
      request('POST', `/bookings/${booking.body.id}/invoice`, { number: `F-${run}-2` }),
    ]);
    const made = [one, two].find((answer) => answer.status === 201)!;
    const other = [one, two].find((answer) => answer !== made)!;
    expect(made.body).toMatchObject({ status: 'draft', clientId: client.body.id, amountMinor: 4500, currency: 'EUR', bookingId: booking.body.id, notes: expect.stringMatching(/^Corte, \d{4}-\d{2}-\d{2}$/) });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'already_invoiced', details: { invoice: { id: made.body.id } } });
    expect((await request('GET', `/bookings/${booking.body.id}`)).body.invoiceId).toBe(made.body.id);
    const later = await request('POST', `/bookings/${booking.body.id}/invoice`, { number: `F-${run}-3` });
    expect(later.body.error).toMatchObject({ code: 'already_invoiced', details: { invoice: { id: made.body.id, number: made.body.number } } });
    expect((await request('GET', '/invoices?limit=100')).body.items.filter((item: { bookingId?: string }) => item.bookingId === booking.body.id)).toHaveLength(1);

    // Issuing it sends the invoice notice as any invoice.
    const emailsBefore = (await api.sentEmails()).length;
    expect((await request('POST', `/invoices/${made.body.id}/issue`)).status).toBe(200);
    await api.settle();
    const notices = (await api.sentEmails()).slice(emailsBefore).filter((email) => email.destination.to.includes(`ana-${run}@example.com`));
    expect(notices.map((email) => email.subject)).toEqual([`Factura ${made.body.number} de ${sample.settings.businessName}`]);
  });

  it('honours Idempotency-Key, and needs a price when the booking has none', async () => {
    const { request, locationId } = await business('invoice-idempotent');
    const client = await request('POST', '/clients', { firstName: 'Bea', email: `bea-${run}@example.com`, consent: { email: true, sms: false } });
    const booking = await request('POST', '/bookings', sample.booking(client.body.id, locationId));
    expect((await request('POST', `/bookings/${booking.body.id}/no-show`)).status).toBe(200);
    const noPrice = await request('POST', `/bookings/${booking.body.id}/invoice`, { number: `G-${run}` });
    expect(noPrice.status).toBe(400);
    expect(noPrice.body.error.details.issues).toEqual([{ path: 'price', message: 'the booking has no price: send the price to charge' }]);
    const body = { number: `G-${run}`, price: { amountMinor: 2000, currency: 'EUR' } };
    const first = await request('POST', `/bookings/${booking.body.id}/invoice`, body, { 'idempotency-key': `k-${run}` });
    const repeat = await request('POST', `/bookings/${booking.body.id}/invoice`, body, { 'idempotency-key': `k-${run}` });
    expect(first.status).toBe(201);
    expect(repeat.status).toBe(201);
    expect(repeat.body.id).toBe(first.body.id);
  });
});

describe('a business that never saved its settings', () => {
  it('confirms a booking without an empty business name', async () => {
    const tenant = `no-settings-${run}`;
    const request = apiClient(api, tenant);
    const locationId = (await request('POST', '/locations', sample.location)).body.id;
    const email = `no-settings-${run}@example.com`;
    const client = await request('POST', '/clients', { firstName: 'Ana', email, language: 'en', consent: { email: true, sms: false } });
    const before = (await api.sentEmails()).length;
    // Ahead of the clock: a booking entered after its start is confirmed to nobody (skipped: in_the_past).
    expect((await request('POST', '/bookings', sample.booking(client.body.id, locationId, '2030-03-29T10:00:00+02:00', '2030-03-29T10:45:00+02:00'))).status).toBe(201);
    await api.settle();
    const [confirmation] = (await api.sentEmails()).slice(before).filter((sent) => sent.destination.to.includes(email));
    expect(confirmation!.subject).toBe('Your appointment is confirmed');
    expect(withoutFooter(confirmation!.body.text)).not.toMatch(/ at is | at\n|\n$/);
  });
});
