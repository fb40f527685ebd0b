import { describe, expect, it } from 'vitest';
import { autoReplyOf, rulesOf, type InboundItem } from '#domain/messages/evaluate.ts';
import { intentsOf, staleness, type MessageIntent } from '#domain/messages/message-intent.ts';
import { customTextFor, customTexts, defaultAutomatedMessages, type AutomatedMessagesInput } from '#domain/messages/rules.ts';
import { recipientOf } from '#domain/messages/deliver.ts';
import { assertReachable, assertReminderDue, FreeFormMessage, manualMessage } from '#domain/messages/card-actions.ts';
import { messageVariables } from '#domain/messages/message-variables.ts';
import { defaultTemplate } from '#domain/messages/default-templates.ts';
import { effectiveTemplate, renderTemplate } from '#domain/messages/templates.ts';
import { defaultSettings } from '#domain/settings.ts';
import type { Client } from '#domain/clients.ts';

const now = new Date('2026-05-04T10:00:00Z');
const on = { enabled: true };
const off = { enabled: false };
const page = (autoReplies: Partial<AutomatedMessagesInput['autoReplies']> = {}): AutomatedMessagesInput => ({
  ...defaultAutomatedMessages,
  autoReplies: { message: on, document: on, contactForm: on, ...autoReplies },
});
const rules = (autoReplies?: Partial<AutomatedMessagesInput['autoReplies']>) => rulesOf({ custom: [], automated: page(autoReplies) });
const inbound = (changes: Partial<InboundItem> = {}): InboundItem => ({
  tenantId: 'acme',
  id: 'M1',
  version: 1,
  clientId: 'C1',
  messageType: 'contact_form',
  status: 'received',
  replyChannel: 'email',
  ...changes,
});
const replyIntent = (dispatch = autoReplyOf(inbound(), rules(), now)): MessageIntent => intentsOf(dispatch!.request)[0]!;

describe('auto-replies: what the evaluator decides for an inbound item', () => {
  it.each([
    ['contact_form', 'auto_reply_contact_form'],
    ['client_message', 'auto_reply_message'],
    ['document_upload', 'auto_reply_document'],
  ])('answers a %s with %s on the channel the person wrote from, under a deterministic id', (messageType, template) => {
    const dispatch = autoReplyOf(inbound({ messageType }), rules(), now);
    expect(dispatch?.request).toMatchObject({
      tenantId: 'acme',
      entity: { kind: 'message', id: 'M1', version: 1 },
      clientId: 'C1',
      expected: { status: 'received', schedule: null },
      messages: [{ ruleId: `system.${template}.email`, messageType: template, channel: 'email', audience: 'client' }],
    });
    // A replayed stream record decides the same message, so delivery sends it once.
    expect(intentsOf(dispatch!.request).map((intent) => intent.id)).toEqual([`message.M1.v1.system.${template}.email`]);
    expect(autoReplyOf(inbound({ messageType }), rules(), new Date('2026-05-05T00:00:00Z'))!.name).toBe(dispatch!.name);
  });

  it('answers by SMS someone who wrote with only a phone', () => {
    expect(replyIntent(autoReplyOf(inbound({ replyChannel: 'sms' }), rules(), now))).toMatchObject({ channel: 'sms', ruleId: 'system.auto_reply_contact_form.sms' });
  });

  it('asks for an email when the item has no reply channel, so delivery records that no address was there', () => {
    expect(replyIntent(autoReplyOf(inbound({ replyChannel: undefined }), rules(), now))).toMatchObject({ channel: 'email' });
  });

  it('sends nothing when that auto-reply is off, and nothing for a booking request', () => {
    expect(autoReplyOf(inbound(), rules({ contactForm: off }), now)).toBeUndefined();
    expect(autoReplyOf(inbound({ messageType: 'client_message' }), rules({ message: off }), now)).toBeUndefined();
    expect(autoReplyOf(inbound({ messageType: 'document_upload' }), rules({ document: off }), now)).toBeUndefined();
    expect(autoReplyOf(inbound({ messageType: 'contact_form' }), rules({ message: off, document: off }), now)).toBeDefined();
    expect(autoReplyOf(inbound({ messageType: 'booking_request' }), rules(), now)).toBeUndefined();
    expect(autoReplyOf(inbound(), rulesOf({ custom: [], automated: defaultAutomatedMessages }), now)).toBeUndefined();
  });

  it('uses the business’s reply text in place of the default body, on both channels, keeping the default subject', () => {
    const settings = page({ contactForm: { enabled: true, text: 'Hola {{ client.firstName }}, te llamamos mañana.' } });
    expect(customTexts(settings).filter((entry) => entry.path === 'autoReplies.contactForm.text').map((entry) => entry.ruleId)).toEqual([
      'system.auto_reply_contact_form.email',
      'system.auto_reply_contact_form.sms',
    ]);
    const customText = customTextFor(settings, 'system.auto_reply_contact_form.email');
    const source = effectiveTemplate({ messageType: 'auto_reply_contact_form', channel: 'email', language: 'es', ...(customText ? { customText } : {}) });
    expect(source).toEqual({ subject: defaultTemplate('auto_reply_contact_form', 'email', 'es').subject, text: 'Hola {{ client.firstName }}, te llamamos mañana.' });
    expect(customTextFor(settings, 'system.auto_reply_message.email')).toBeUndefined();
    expect(customTextFor(page({ contactForm: { enabled: true, text: '' } }), 'system.auto_reply_contact_form.email')).toBeUndefined();
  });
});

describe('auto-replies: consent and address', () => {
  const client = (changes: Partial<Client> = {}): Client =>
    ({ id: 'C1', version: 1, createdAt: now.toISOString(), updatedAt: now.toISOString(), firstName: 'Ana', email: 'card@example.com', phone: '+34600000000', status: 'lead', customFields: {}, consent: { email: false, sms: false }, ...changes }) as Client;
  const item = (changes: Record<string, unknown> = {}) => ({ id: 'M1', status: 'received', replyChannel: 'email', replyTo: 'wrote@example.com', ...changes });
  const smsReply = replyIntent(autoReplyOf(inbound({ replyChannel: 'sms' }), rules(), now));

  it('answers by email at the address the person wrote from, even when the card says no to email', () => {
    expect(recipientOf(replyIntent(), client(), defaultSettings, item())).toEqual({ to: 'wrote@example.com' });
  });

  it('answers by SMS only a client who opted in to SMS', () => {
    const texted = item({ replyChannel: 'sms', replyTo: '+34611111111' });
    expect(recipientOf(smsReply, client(), defaultSettings, texted)).toEqual({ reason: 'no_consent' });
    expect(recipientOf(smsReply, client({ consent: { email: false, sms: true } }), defaultSettings, texted)).toEqual({ to: '+34611111111' });
  });

  it('has no address when the item carries none for that channel', () => {
    expect(recipientOf(replyIntent(), client(), defaultSettings, item({ replyTo: undefined }))).toEqual({ reason: 'no_address' });
    expect(recipientOf(smsReply, client({ consent: { email: true, sms: true } }), defaultSettings, item())).toEqual({ reason: 'no_address' });
  });

  it('keeps the card’s consent for every other message', () => {
    const invitation = intentsOf(manualMessage({ tenantId: 'acme', clientId: 'C1', about: { kind: 'client', id: 'C1', version: 1, status: 'lead' }, messageType: 'booking_invitation', channel: 'email', key: 'k1' }, now).request)[0]!;
    expect(recipientOf(invitation, client(), defaultSettings, client())).toEqual({ reason: 'no_consent' });
    expect(recipientOf(invitation, client({ consent: { email: true, sms: false } }), defaultSettings, client())).toEqual({ to: 'card@example.com' });
  });

  it('finds a reply stale once its item is gone or no longer received', () => {
    expect(staleness(replyIntent(), item())).toBeUndefined();
    expect(staleness(replyIntent(), undefined)).toBe('message was deleted');
    expect(staleness(replyIntent(), item({ status: 'sent' }))).toBe('message is now sent');
  });
});

describe('card actions', () => {
  const about = { kind: 'client', id: 'C1', version: 3, status: 'lead' } as const;
  const invitation = (key: string, version = 3) =>
    manualMessage({ tenantId: 'acme', clientId: 'C1', about: { ...about, version }, messageType: 'booking_invitation', channel: 'email', key }, now);

  it('names a message by its type and key: the same key is the same message, whatever the client’s version', () => {
    expect(invitation('key-1').messageId).toBe('client.C1.manual.booking_invitation.key-1');
    expect(invitation('key-1', 4).messageId).toBe(invitation('key-1').messageId);
    expect(invitation('key-2').messageId).not.toBe(invitation('key-1').messageId);
    const freeForm = manualMessage({ tenantId: 'acme', clientId: 'C1', about, messageType: 'free_form', channel: 'email', key: 'key-1', content: { text: 'Hola' } }, now);
    expect(freeForm.messageId).not.toBe(invitation('key-1').messageId);
    expect(intentsOf(invitation('key-1').request).map((intent) => intent.id)).toEqual([invitation('key-1').messageId]);
  });

  it('carries a free-form text in the request', () => {
    const { request } = manualMessage({ tenantId: 'acme', clientId: 'C1', about, messageType: 'free_form', channel: 'sms', key: 'k', content: { text: 'Ya está.' } }, now);
    expect(intentsOf(request)[0]).toMatchObject({ messageType: 'free_form', channel: 'sms', content: { text: 'Ya está.' }, entity: { kind: 'client', id: 'C1' } });
  });

  it('holds a message about the client until the client is archived', () => {
    const intent = intentsOf(invitation('k').request)[0]!;
    expect(staleness(intent, { id: 'C1', status: 'active' })).toBeUndefined();
    expect(staleness(intent, { id: 'C1', status: 'archived' })).toBe('client is now archived');
    expect(staleness(intent, undefined)).toBe('client was deleted');
  });

  it('finds a payment reminder stale once the invoice is paid', () => {
    const { request } = manualMessage({ tenantId: 'acme', clientId: 'C1', about: { kind: 'invoice', id: 'I1', version: 2, status: 'issued' }, messageType: 'invoice_overdue', channel: 'email', key: 'k' }, now);
    expect(staleness(intentsOf(request)[0]!, { id: 'I1', status: 'paid' })).toBe('invoice is now paid');
  });

  it('sends nothing to an archived client', () => {
    expect(() => assertReachable({ id: 'C1', status: 'archived' })).toThrow(/archived/);
    expect(() => assertReachable({ id: 'C1', status: 'lead' })).not.toThrow();
  });

  it('reminds only of the client’s own issued invoice once its due date has passed', () => {
    const invoice = { id: 'I1', clientId: 'C1', status: 'issued', dueDate: '2026-05-03' } as const;
    expect(() => assertReminderDue(invoice, 'C1', '2026-05-04')).not.toThrow();
    expect(() => assertReminderDue(invoice, 'C1', '2026-05-03')).toThrow(/is due on 2026-05-03 and is not overdue yet/);
    expect(() => assertReminderDue({ ...invoice, status: 'paid' }, 'C1', '2026-05-04')).toThrow(/is paid/);
    expect(() => assertReminderDue({ ...invoice, status: 'draft' }, 'C1', '2026-05-04')).toThrow(/is draft/);
    expect(() => assertReminderDue(invoice, 'C2', '2026-05-04')).toThrow(/belongs to another client/);
  });
});

describe('free-form messages', () => {
  const render = (channel: 'email' | 'sms', content: { text: string; subject?: string }) =>
    renderTemplate(
      defaultTemplate('free_form', channel, 'en'),
      messageVariables({ messageType: 'free_form', language: 'en', business: { name: 'Bloom', timeZone: 'UTC' }, client: { firstName: 'Emma' }, record: { status: 'active' }, content }),
      channel,
    );

  it('sends the text as written: Liquid in it stays text, and markup is escaped in the HTML', () => {
    const text = 'Hi <script>alert(1)</script> {{ business.name }} {% if true %}x{% endif %}';
    const email = render('email', { text, subject: 'About <b>today</b>' });
    expect(email.text).toBe(`${text}\n\nBloom`);
    expect(email.subject).toBe('About <b>today</b>');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; {{ business.name }}');
    expect(email.html).toContain('<title>About &lt;b&gt;today&lt;/b&gt;</title>');
  });

  it('has a default subject naming the business, and signs the SMS', () => {
    expect(render('email', { text: 'Your order is ready.' }).subject).toBe('A message from Bloom');
    expect(render('sms', { text: 'Your order is ready.' }).text).toBe('Your order is ready. - Bloom');
  });

  it('takes a subject only by email, and an SMS within the SMS length', () => {
    const issues = (body: object) => FreeFormMessage.safeParse(body).error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    expect(FreeFormMessage.parse({ channel: 'email', subject: ' Hola ', text: ' Ya está. ' })).toEqual({ channel: 'email', subject: 'Hola', text: 'Ya está.' });
    expect(issues({ channel: 'sms', subject: 'Hola', text: 'x'.repeat(1531) })).toEqual([
      ['subject', 'an SMS has no subject; remove it'],
      ['text', 'an SMS is at most 10 segments (this one is 11)'],
    ]);
    // Counted in segments: 1,530 GSM-7 characters fit, 671 outside GSM-7 do not.
    expect(issues({ channel: 'sms', text: 'x'.repeat(1530) })).toBeUndefined();
    expect(issues({ channel: 'sms', text: 'á'.repeat(671) })).toEqual([['text', 'an SMS is at most 10 segments (this one is 11)']]);
    expect(issues({ channel: 'email', text: 'x'.repeat(1601) })).toBeUndefined();
    expect(issues({ channel: 'email', subject: 'a\nb', text: 'x' })).toEqual([['subject', 'must be a single line']]);
  });

  it('gives no free-form text to other message types', () => {
    const variables = messageVariables({ messageType: 'auto_reply_message', language: 'en', business: { name: 'Bloom', timeZone: 'UTC' }, client: { firstName: 'Emma' }, record: { status: 'received', text: 'relay me', sender: { firstName: 'Emma' } }, content: { text: 'x' } });
    expect(variables).toEqual({ business: { name: 'Bloom' }, client: { firstName: 'Emma', fullName: 'Emma' } });
  });

  it('greets by the name the sender typed, never by the card’s', () => {
    const reply = (record: Record<string, unknown>) =>
      messageVariables({ messageType: 'auto_reply_contact_form', language: 'en', business: { name: 'Bloom', timeZone: 'UTC' }, client: { firstName: 'Card', lastName: 'Owner' }, record });
    expect(reply({ status: 'received', sender: { firstName: 'Stranger' } }).client).toEqual({ firstName: 'Stranger', fullName: 'Stranger' });
    expect(reply({ status: 'received' }).client).toEqual({ firstName: '', fullName: '' });
  });
});
