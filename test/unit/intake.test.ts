import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { ClientField } from '#domain/client-fields.ts';
import {
  BookingRequestForm,
  ContactForm,
  MessageForm,
  bookingRequestIssues,
  contactOf,
  formFieldValues,
  intakeWrite,
  replyField,
  requestedBooking,
  type Intake,
} from '#domain/intake.ts';
import { plainTextProblem } from '#domain/submitter.ts';
import type { Booking } from '#domain/bookings.ts';
import type { Client } from '#domain/clients.ts';
import { thrown } from '../support/thrown.ts';

const now = new Date('2026-03-01T10:00:00Z');


const field = (id: string, type: ClientField['type'], forms: ClientField['forms'], options?: string[]): ClientField => ({
  id,
  label: `Field ${id}`,
  type,
  forms,
  ...(options ? { options } : {}),
  version: 1,
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
});

/** The issues a schema reports for a value, as `path: message`. */
const issues = (schema: z.ZodType, value: unknown): string[] =>
  schema.safeParse(value).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];

describe('plain text from the open internet', () => {
  it.each([
    'Hola, ¿tenéis cita el martes? 😊',
    'I <3 your salon',
    'a < b and c > d',
    'Tom & Jerry; price 5€',
    'see https://example.com/page?a=1&b=2',
  ])('accepts %j', (text) => {
    expect(plainTextProblem(text, 'single')).toBeUndefined();
  });

  it('accepts line breaks and tabs only where text may span lines', () => {
    expect(plainTextProblem('line one\nline two\r\n\tindented', 'multi')).toBeUndefined();
    expect(plainTextProblem('line one\nline two', 'single')).toBe('must be a single line (no line breaks or tabs)');
  });

  it.each([
    ['<script>alert(1)</script>', 'markup'],
    ['<img src=x onerror=alert(1)>', 'markup'],
    ['hello</textarea><b>', 'markup'],
    ['<!-- hidden -->', 'markup'],
    ['<?php echo 1 ?>', 'markup'],
    ['<svg/onload=alert(1)>', 'markup'],
    ['javascript:alert(1)', 'javascript:'],
    ['click JaVaScRiPt:alert(1)', 'javascript:'],
    ['vbscript:msgbox(1)', 'javascript:'],
    ['&#60;script&#62;alert(1)', 'character references'],
    ['&lt;script&gt;', 'character references'],
    ['&#x3C;img&#x3E;', 'character references'],
    ['nul\u0000byte', 'control characters'],
    ['escape \u001b[31m red', 'control characters'],
    ['c1 \u009b control', 'control characters'],
  ])('refuses %j with a message naming the problem', (text, named) => {
    expect(plainTextProblem(text, 'multi')).toContain(named);
  });

  it('reads a script scheme split by a line break as browsers do', () => {
    expect(plainTextProblem('java\nscript:alert(1)', 'multi')).toContain('javascript:');
  });
});

describe('the public forms', () => {
  const person = { firstName: 'Ana', email: 'Ana@Example.com' };

  it('take a contact form and keep the email in lower case', () => {
    const parsed = ContactForm.parse({ ...person, message: 'Hola', smsConsent: true, language: 'es' });
    expect(parsed).toEqual({ firstName: 'Ana', email: 'ana@example.com', message: 'Hola', smsConsent: true, language: 'es' });
  });

  it('refuse unknown fields', () => {
    expect(issues(ContactForm, { ...person, message: 'Hola', role: 'admin' })).toEqual([': Unrecognized key: "role"']);
  });

  it('need an email or a phone to answer to', () => {
    expect(issues(MessageForm, { firstName: 'Ana', text: 'Hola' })).toEqual(['email: send an email or a phone number, so the business can answer']);
    expect(MessageForm.safeParse({ firstName: 'Ana', phone: '+34 612 345 678', text: 'Hola' }).success).toBe(true);
  });

  it('refuse markup in every text field, custom field values included', () => {
    const script = '<script>alert(1)</script>';
    const markup = 'must be plain text: markup such as <b> or <script> is not accepted';
    expect(issues(ContactForm, { ...person, firstName: script, message: 'Hola' })).toEqual([`firstName: ${markup}`]);
    expect(issues(ContactForm, { ...person, lastName: script, message: 'Hola' })).toEqual([`lastName: ${markup}`]);
    expect(issues(ContactForm, { ...person, message: script })).toEqual([`message: ${markup}`]);
    expect(issues(ContactForm, { ...person, message: 'Hola', customFields: { hair: script } })).toEqual([`customFields.hair: ${markup}`]);
    expect(issues(MessageForm, { ...person, text: script })).toEqual([`text: ${markup}`]);
    const booking = { ...person, locationId: 'loc', service: 'Corte', start: '2026-03-02T10:00:00Z', end: '2026-03-02T11:00:00Z' };
    expect(issues(BookingRequestForm, { ...booking, service: script })).toEqual([`service: ${markup}`]);
    expect(issues(BookingRequestForm, { ...booking, notes: script })).toEqual([`notes: ${markup}`]);
  });

  it('refuse a phone that is not written with phone characters, and emails that are not emails', () => {
    expect(issues(ContactForm, { firstName: 'Ana', phone: '<b>612</b>', message: 'Hola' })).toEqual([
      'phone: must be a phone number: digits, spaces and + ( ) - . only',
    ]);
    expect(issues(ContactForm, { firstName: 'Ana', email: '<script>@x.com', message: 'Hola' })).toEqual(['email: Invalid email address']);
  });

  it('limit the size of every string', () => {
    expect(issues(ContactForm, { ...person, message: 'x'.repeat(5001) })).toEqual(['message: Too big: expected string to have <=5000 characters']);
    expect(issues(ContactForm, { ...person, firstName: 'x'.repeat(201), message: 'Hola' })).toEqual(['firstName: Too big: expected string to have <=200 characters']);
    expect(issues(ContactForm, { ...person, message: 'Hola', customFields: { notes: 'x'.repeat(2001) } })).toEqual([
      'customFields.notes: Too big: expected string to have <=2000 characters',
    ]);
    expect(issues(ContactForm, { ...person, message: '   ' })).toEqual(['message: must not be empty']);
  });

  it('never clear a custom field value: null is refused', () => {
    expect(ContactForm.safeParse({ ...person, message: 'Hola', customFields: { hair: null } }).success).toBe(false);
  });

  it('ask a booking request for an end after its start, and a start still ahead', () => {
    const request = { ...person, locationId: 'loc', service: 'Corte', start: '2026-03-02T10:00:00Z', end: '2026-03-02T09:00:00Z' };
    expect(issues(BookingRequestForm, request)).toEqual(['end: end must be after start']);
    expect(bookingRequestIssues({ start: '2026-03-01T09:59:59Z' }, now)).toEqual([{ path: 'start', message: 'must be in the future' }]);
    expect(bookingRequestIssues({ start: '2026-03-01T10:00:01Z' }, now)).toEqual([]);
  });
});

describe('custom field values a form carries', () => {
  const fields = [field('hair', 'select', ['contact'], ['curly', 'straight']), field('age', 'number', ['contact', 'booking']), field('vip', 'boolean', [])];

  it('are kept when the form collects the field', () => {
    expect(formFieldValues('contact', { hair: 'curly', age: 30 }, fields)).toEqual({ hair: 'curly', age: 30 });
  });

  it('are refused when the field is not on that form, unknown, or of the wrong type', () => {
    const error = thrown(() => formFieldValues('booking', { hair: 'curly', vip: true, nope: 'x', age: 'thirty' }, fields));
    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual({
      issues: [
        { path: 'customFields.hair', message: 'is not a field of the booking form' },
        { path: 'customFields.vip', message: 'is not a field of the booking form' },
        { path: 'customFields.nope', message: 'is not a field of the booking form' },
        { path: 'customFields.age', message: 'must be a number for field "Field age"' },
      ],
    });
  });
});

describe('the contact of who wrote', () => {
  it('is the email in lower case and the phone in E.164, read with the business’s country', () => {
    expect(contactOf({ email: ' Ana@Example.COM', phone: '612 345 678' }, 'ES')).toEqual({ email: 'ana@example.com', phone: '+34612345678' });
    expect(contactOf({ phone: '0034 612-345-678' }, undefined)).toEqual({ phone: '+34612345678' });
  });

  it('refuses a phone without a country code when the business has no country, or an invalid one', () => {
    expect(thrown(() => contactOf({ phone: '612 345 678' }, undefined)).details).toEqual({
      issues: [{ path: 'phone', message: 'must start with the country code, e.g. +34 612 345 678 (the business settings name no defaultCountry)' }],
    });
    expect(thrown(() => contactOf({ phone: '12' }, 'ES')).details).toEqual({ issues: [{ path: 'phone', message: 'is not a valid phone number for ES' }] });
  });
});

describe('what a submission writes', () => {
  const intake = (overrides: Partial<Intake> = {}): Intake => ({
    form: 'contact',
    submitter: { firstName: 'Ana', lastName: 'García', language: 'es', smsConsent: true },
    contact: { email: 'ana@example.com', phone: '+34612345678' },
    fieldValues: { hair: 'curly' },
    text: 'Hola, ¿tenéis cita?',
    matched: undefined,
    taken: [],
    leadStatuses: ['Nuevo', 'Ganado'],
    ids: { client: 'C1', lead: 'L1', inbound: 'M1' },
    now,
    ...overrides,
  });
  const at = now.toISOString();
  const meta = (id: string) => ({ id, version: 1, createdAt: at, updatedAt: at });

  it('makes someone new a lead card claiming their email and phone, with a lead record and the inbound item, in one write', () => {
    const write = intakeWrite(intake());
    expect(write).toMatchObject({ kind: 'client', clientId: 'C1', inboundId: 'M1', newClient: true });
    expect(write.record).toEqual({
      ...meta('C1'),
      firstName: 'Ana',
      lastName: 'García',
      email: 'ana@example.com',
      phone: '+34612345678',
      language: 'es',
      consent: { email: true, sms: true },
      status: 'lead',
      customFields: { hair: 'curly' },
    });
    expect(write.options.expected).toBe('absent');
    expect(write.options.claims?.map(({ name, value }) => ({ name, value }))).toEqual([
      { name: 'clientEmail', value: 'ana@example.com' },
      { name: 'clientPhone', value: '+34612345678' },
    ]);
    expect(write.options.alsoPut).toEqual([
      { kind: 'lead', expected: 'absent', record: { ...meta('L1'), clientId: 'C1', source: 'widget:contact_form', status: 'Nuevo' } },
      {
        kind: 'message',
        expected: 'absent',
        record: {
          ...meta('M1'),
          clientId: 'C1',
          direction: 'inbound',
          channel: 'web',
          messageType: 'contact_form',
          audience: 'client',
          status: 'received',
          attempts: 0,
          replyChannel: 'email',
          replyTo: 'ana@example.com',
          sender: { firstName: 'Ana', lastName: 'García', email: 'ana@example.com', phone: '+34612345678' },
          text: 'Hola, ¿tenéis cita?',
          fields: { hair: 'curly' },
        },
      },
    ]);
  });

  it('gives consent only for what the person gave: email when they wrote one, SMS when they opted in', () => {
    const write = intakeWrite(intake({ submitter: { firstName: 'Luis' }, contact: { phone: '+34612345678' }, fieldValues: {}, text: undefined }));
    expect(write.record).toMatchObject({ consent: { email: false, sms: false } });
    expect(write.record).not.toHaveProperty('customFields.hair');
    const inbound = write.options.alsoPut?.[1]?.record;
    expect(inbound).toMatchObject({ replyChannel: 'sms', replyTo: '+34612345678' });
    expect(inbound).not.toHaveProperty('fields');
    expect(inbound).not.toHaveProperty('text');
  });

  it('matches by the reply address only: the email when there is one, else the phone', () => {
    expect(replyField({ email: 'ana@example.com', phone: '+34612345678' })).toBe('email');
    expect(replyField({ phone: '+34612345678' })).toBe('phone');
  });

  it('does not put on a new card an address another card holds; the inbound item keeps what was typed', () => {
    const write = intakeWrite(intake({ taken: ['phone'] }));
    expect(write.record).not.toHaveProperty('phone');
    expect(write.record).toMatchObject({ email: 'ana@example.com' });
    expect(write.options.claims?.map(({ name }) => name)).toEqual(['clientEmail']);
    expect(write.options.alsoPut?.[1]?.record).toMatchObject({ sender: { firstName: 'Ana', email: 'ana@example.com', phone: '+34612345678' } });
  });

  const card: Client = {
    ...meta('C0'),
    version: 4,
    firstName: 'Ana María',
    email: 'ana@example.com',
    consent: { email: true, sms: false },
    status: 'active',
    customFields: { hair: 'straight' },
  };

  it('writes only the inbound item under a matched card, checking the card still exists', () => {
    const write = intakeWrite(intake({ matched: card, form: 'message', fieldValues: { hair: 'curly' } }));
    expect(write).toMatchObject({ kind: 'message', clientId: 'C0', inboundId: 'M1', newClient: false });
    expect(write.record).toMatchObject({ clientId: 'C0', messageType: 'client_message', fields: { hair: 'curly' } });
    expect(write.options).toEqual({ expected: 'absent', references: [{ kind: 'client', id: 'C0', field: 'clientId' }], alsoPut: [] });
  });

  it('fills on a matched card only the custom field values it does not have, and nothing else', () => {
    const write = intakeWrite(intake({ matched: card, fieldValues: { hair: 'curly', age: 30 } }));
    expect(write.kind).toBe('client');
    expect(write.record).toEqual({ ...card, version: 5, customFields: { hair: 'straight', age: 30 } });
    expect(write.options.expected).toBe(4);
    expect(write.options.claims).toBeUndefined();
    expect(write.options.alsoPut?.map((put) => put.kind)).toEqual(['message']);
  });

  it('adds the caller’s records for the client, and links the item to what it brought', () => {
    const booking: Omit<Booking, 'clientId'> = { ...meta('B1'), locationId: 'L1', service: 'Corte', start: '2026-06-02T10:00:00+02:00', end: '2026-06-02T10:30:00+02:00', status: 'pending' };
    const asked: string[] = [];
    const write = intakeWrite(
      intake({
        matched: card,
        fieldValues: {},
        form: 'booking',
        entity: { kind: 'booking', id: 'B1' },
        alsoPut: (clientId) => {
          asked.push(clientId);
          return [{ kind: 'booking', record: { ...booking, clientId }, expected: 'absent' }];
        },
      }),
    );
    expect(asked).toEqual(['C0']);
    expect(write.record).toMatchObject({ messageType: 'booking_request', entity: { kind: 'booking', id: 'B1' } });
    expect(write.options.alsoPut).toEqual([{ kind: 'booking', record: { ...booking, clientId: 'C0' }, expected: 'absent' }]);
  });
});

describe('the booking a request makes', () => {
  const form = BookingRequestForm.parse({
    firstName: 'Ana',
    email: 'ana@example.com',
    locationId: 'loc',
    service: 'Corte',
    start: '2026-03-02T10:00:00+01:00',
    end: '2026-03-02T10:45:00+01:00',
  });

  it('waits for the business when it approves bookings by hand, and is confirmed otherwise', () => {
    expect(requestedBooking(form, 'C1', 'manual', 'B1', now)).toEqual({
      id: 'B1',
      version: 1,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      clientId: 'C1',
      locationId: 'loc',
      service: 'Corte',
      start: '2026-03-02T10:00:00+01:00',
      end: '2026-03-02T10:45:00+01:00',
      status: 'pending',
    });
    expect(requestedBooking(form, 'C1', 'automatic', 'B1', now).status).toBe('confirmed');
  });
});
