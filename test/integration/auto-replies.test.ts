import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient, dynamoRecordStore } from '#adapters/dynamodb/record-store.ts';
import { messageKind, type ConversationMessage, type InboundMessageType } from '#domain/messages/conversation.ts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localDynamoDbClient, startApi, type MessagingApi } from './local-stack.ts';
import { apiClient, sample, withoutFooter, type Request } from './api-client.ts';
import { postPublic, publishWidgets } from './public-forms.ts';

/**
 * Auto-replies through the real path: an inbound item lands in the table (from a public widget, or
 * put as the intake puts it) → stream → evaluator → delivery queue → delivery → aws-ses-v2-local or
 * the SMS outbox, and the conversation read back through the API.
 */
let api: MessagingApi;
let request: Request;
let dynamo: DynamoDBClient;
const run = Date.now().toString(36);
const tenant = `replies-${run}`;
const slug = `salon-replies-${run}`;

const automated = {
  ...sample.automatedMessages,
  autoReplies: {
    contactForm: { enabled: true, text: 'Gracias, {{ client.firstName }}. Te llamamos hoy mismo.' },
    message: { enabled: true },
    document: { enabled: false },
  },
};

beforeAll(async () => {
  api = await startApi({ messaging: true });
  request = apiClient(api, tenant);
  await api.tokenFor(tenant);
  await publishWidgets(request, slug);
  expect((await request('PUT', '/settings/automated-messages', automated, { 'if-match': '"0"' })).status).toBe(200);
  dynamo = localDynamoDbClient();
  await api.settle();
});
afterAll(async () => {
  dynamo?.destroy();
  await api?.close();
});

type Item = Pick<ConversationMessage, 'id' | 'direction' | 'channel' | 'messageType' | 'status' | 'reason' | 'to' | 'text'>;
const conversation = async (clientId: string): Promise<Item[]> => (await request('GET', `/clients/${clientId}/messages`)).body.items;
const repliesIn = async (clientId: string) => (await conversation(clientId)).filter((item) => item.direction === 'outbound');

let counter = 0;
const address = (name: string) => `${name}-${run}-${++counter}@example.com`;

/** A client card made through the API. */
async function client(fields: Record<string, unknown>): Promise<string> {
  const created = await request('POST', '/clients', { firstName: 'Ana', language: 'es', ...fields });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

/** An inbound item written as the public intake writes it. */
async function receive(clientId: string, messageType: InboundMessageType, reply: { replyChannel: 'email' | 'sms'; replyTo: string }): Promise<string> {
  const at = new Date().toISOString();
  const id = `in-${run}-${++counter}`;
  const item: ConversationMessage & { version: number } = {
    id,
    version: 1,
    clientId,
    direction: 'inbound',
    channel: 'web',
    messageType,
    audience: 'client',
    status: 'received',
    text: '¿Tenéis cita el sábado?',
    ...reply,
    sender: { firstName: 'Ana', ...(reply.replyChannel === 'email' ? { email: reply.replyTo } : { phone: reply.replyTo }) },
    attempts: 0,
    createdAt: at,
    updatedAt: at,
  };
  await dynamoRecordStore(createDocumentClient(dynamo), api.env.tableName).put(tenant, messageKind, item, { expected: 'absent' });
  return id;
}

/** What reached the providers for `to` during `act`, once everything has settled. */
async function delivered(to: string, act: () => Promise<unknown>) {
  await act();
  await api.settle();
  return { emails: (await api.sentEmails()).filter((email) => email.destination.to.includes(to)), sms: (await api.sentSms()).filter((sms) => sms.to === to) };
}

describe('auto-replies', () => {
  it('answers a contact form from someone new once, with the business’s text, and keeps the reply in the conversation', async () => {
    const email = address('marta');
    const { emails } = await delivered(email, () => postPublic(api, slug, '/contact', { firstName: 'Marta', email, message: 'Hola, ¿hacéis mechas?' }));
    expect(emails).toHaveLength(1);
    expect(withoutFooter(emails[0]!.body.text)).toBe('Gracias, Marta. Te llamamos hoy mismo.');

    const card = (await request('GET', '/clients?limit=100')).body.items.find((item: { email?: string }) => item.email === email);
    const items = await conversation(card.id);
    const inbound = items.find((item) => item.direction === 'inbound')!;
    expect(inbound).toMatchObject({ messageType: 'contact_form', status: 'received' });
    expect(items.filter((item) => item.direction === 'outbound')).toEqual([
      expect.objectContaining({ id: `message.${inbound.id}.v1.system.auto_reply_contact_form.email`, messageType: 'auto_reply_contact_form', channel: 'email', status: 'sent', to: email }),
    ]);

    // A replayed stream batch sends nothing new.
    await api.replayLastBatch();
    expect((await api.sentEmails()).filter((sent) => sent.destination.to.includes(email))).toHaveLength(1);
  });

  it('tells a stranger who types a client’s phone next to their own email nothing about the client, and files nothing under them', async () => {
    const phone = '+34611000099';
    const clientId = await client({ firstName: 'Ana', lastName: 'Secreta', email: address('ana-card'), phone, consent: { email: true, sms: true } });
    const before = await conversation(clientId);
    const stranger = address('stranger');
    const form = { firstName: 'Mallory', email: stranger, phone: '611 000 099', message: '¿Quién tiene este número?' };
    const { emails, sms } = await delivered(stranger, async () => {
      expect((await postPublic(api, slug, '/contact', form)).status).toBe(202);
      // Again, as the same stranger: matched to their own new card, still no 409 over the phone.
      expect((await postPublic(api, slug, '/contact', form)).status).toBe(202);
    });
    expect(emails.map((email) => withoutFooter(email.body.text))).toEqual(['Gracias, Mallory. Te llamamos hoy mismo.', 'Gracias, Mallory. Te llamamos hoy mismo.']);
    for (const email of emails) expect(JSON.stringify(email)).not.toMatch(/Ana|Secreta/);
    expect(sms).toEqual([]);
    expect((await api.sentSms()).filter((sent) => sent.to === phone)).toEqual([]);

    // The client's card and conversation are as they were; the stranger is a lead of their own, without the phone.
    expect(await conversation(clientId)).toEqual(before);
    expect((await request('GET', `/clients/${clientId}`)).body).toMatchObject({ firstName: 'Ana', phone, version: 1 });
    const lead = (await request('GET', '/clients?limit=100')).body.items.find((item: { email?: string }) => item.email === stranger);
    expect(lead).toMatchObject({ firstName: 'Mallory', status: 'lead' });
    expect(lead).not.toHaveProperty('phone');
    const inbound = (await conversation(lead.id)).filter((item) => item.direction === 'inbound');
    expect(inbound).toHaveLength(2);
    // What the stranger typed stays on their own item, for the business to see.
    expect(inbound[0]).toMatchObject({ sender: { firstName: 'Mallory', email: stranger, phone } });
  });

  it('answers a client’s message by email where they wrote from, though the card says no to email', async () => {
    const email = address('ana');
    const id = await client({ email: address('card'), consent: { email: false, sms: false } });
    const { emails } = await delivered(email, () => receive(id, 'client_message', { replyChannel: 'email', replyTo: email }));
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe('Hemos recibido tu mensaje');
    expect(emails[0]!.body.text).toContain('Hola, Ana:');
    expect(await repliesIn(id)).toEqual([expect.objectContaining({ messageType: 'auto_reply_message', status: 'sent', to: email })]);
  });

  it('sends nothing for an auto-reply that is off, nor for a booking request', async () => {
    const email = address('luis');
    const id = await client({ email, consent: { email: true, sms: false } });
    const { emails } = await delivered(email, async () => {
      await receive(id, 'document_upload', { replyChannel: 'email', replyTo: email });
      await receive(id, 'booking_request', { replyChannel: 'email', replyTo: email });
    });
    expect(emails).toEqual([]);
    expect(await repliesIn(id)).toEqual([]);
  });

  it('refuses a reply text that is not a valid template for it, naming the field once', async () => {
    const current = (await request('GET', '/settings/automated-messages')).body;
    const save = (text: string) =>
      request('PUT', '/settings/automated-messages', { ...automated, autoReplies: { ...automated.autoReplies, message: { enabled: true, text } } }, { 'if-match': `"${current.version}"` });
    const unknown = await save('Hola {{ booking.date }}');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.issues).toEqual([{ path: 'autoReplies.message.text', message: expect.stringContaining('unknown variable {{ booking.date }}') }]);
    const broken = await save('Hola {% if %}');
    expect(broken.body.error.details.issues).toEqual([{ path: 'autoReplies.message.text', message: expect.stringContaining('Liquid syntax error') }]);
    // Short on the sample's name, over the SMS limit on a name as long as a form may send.
    const looped = await save('{% for i in (1..20) %}{{ client.firstName }}{% endfor %}');
    expect(looped.body.error.details.issues).toEqual([{ path: 'autoReplies.message.text', message: expect.stringMatching(/^renders to (an SMS of \d+ segments|more than)/) }]);
    expect((await request('GET', '/settings/automated-messages')).body).toEqual(current);
  });

  it('answers by SMS only someone who opted in to SMS, and records why not otherwise', async () => {
    const [optedOut, optedIn] = ['+34611000001', '+34611000002'];
    const withoutConsent = await client({ phone: optedOut, consent: { email: true, sms: false } });
    const withConsent = await client({ phone: optedIn, consent: { email: false, sms: true } });
    const refused = await delivered(optedOut, () => receive(withoutConsent, 'contact_form', { replyChannel: 'sms', replyTo: optedOut }));
    expect(refused.sms).toEqual([]);
    expect(await repliesIn(withoutConsent)).toEqual([expect.objectContaining({ messageType: 'auto_reply_contact_form', channel: 'sms', status: 'not_sent', reason: 'no_consent' })]);

    const answered = await delivered(optedIn, () => receive(withConsent, 'contact_form', { replyChannel: 'sms', replyTo: optedIn }));
    expect(answered.sms.map((sms) => sms.text)).toEqual(['Gracias, Ana. Te llamamos hoy mismo.']);
    expect(await repliesIn(withConsent)).toEqual([expect.objectContaining({ channel: 'sms', status: 'sent', to: optedIn })]);
  });
});
