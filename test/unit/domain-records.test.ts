import { describe, expect, it } from 'vitest';
import { BookingInput, bookingLifecycle, initialBookingStatus } from '#domain/bookings.ts';
import { assertTransition } from '#domain/lifecycle.ts';
import { invoiceLifecycle, InvoiceInput } from '#domain/invoices.ts';
import { estimateLifecycle } from '#domain/estimates.ts';
import { ClientInput, ClientPatch } from '#domain/clients.ts';
import { LocationInput } from '#domain/locations.ts';
import { SettingsInput, statusFromList } from '#domain/settings.ts';
import { checkCustomFieldValues, mergeCustomFieldValues, ClientFieldInput, type ClientField } from '#domain/client-fields.ts';
import { toE164, hasCountryCode } from '#domain/phone.ts';
import { newRecord, revise } from '#domain/record.ts';
import { thrown } from '../support/thrown.ts';


describe('lifecycles', () => {
  it('allows the booking transitions of the brief and nothing else', () => {
    expect(() => assertTransition('booking', bookingLifecycle, 'pending', 'confirmed')).not.toThrow();
    expect(() => assertTransition('booking', bookingLifecycle, 'confirmed', 'no_show')).not.toThrow();
    const error = thrown(() => assertTransition('booking', bookingLifecycle, 'pending', 'completed'));
    expect(error.code).toBe('invalid_transition');
    expect(error.details).toEqual({ kind: 'booking', from: 'pending', to: 'completed', allowed: ['confirmed', 'rejected'] });
    expect(error.message).toContain('it can go to confirmed, rejected');
  });

  it('says when a status is final', () => {
    const error = thrown(() => assertTransition('invoice', invoiceLifecycle, 'paid', 'void'));
    expect(error.message).toContain('nothing (final status)');
  });

  it('lets the client accept an issued estimate but not a draft one', () => {
    expect(() => assertTransition('estimate', estimateLifecycle, 'issued', 'accepted')).not.toThrow();
    expect(thrown(() => assertTransition('estimate', estimateLifecycle, 'draft', 'accepted')).code).toBe('invalid_transition');
  });

  it('starts a booking confirmed or pending by the approval mode', () => {
    expect(initialBookingStatus('automatic')).toBe('confirmed');
    expect(initialBookingStatus('manual')).toBe('pending');
  });
});

describe('record schemas', () => {
  const booking = { clientId: 'c1', locationId: 'l1', service: 'Haircut', start: '2026-03-29T10:00:00+02:00', end: '2026-03-29T10:30:00+02:00' };

  it('accepts a booking with offsets and refuses one that ends before it starts', () => {
    expect(BookingInput.safeParse(booking).success).toBe(true);
    const bad = BookingInput.safeParse({ ...booking, end: '2026-03-29T09:00:00+02:00' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['end']);
  });

  it('refuses a start without an offset, an unknown field and a wrong type', () => {
    expect(BookingInput.safeParse({ ...booking, start: '2026-03-29T10:00:00' }).success).toBe(false);
    expect(BookingInput.safeParse({ ...booking, colour: 'red' }).error?.issues[0]?.code).toBe('unrecognized_keys');
    expect(BookingInput.safeParse({ ...booking, service: 42 }).success).toBe(false);
  });

  it('compares instants, not strings, across offsets', () => {
    expect(BookingInput.safeParse({ ...booking, start: '2026-03-29T10:00:00+02:00', end: '2026-03-29T08:30:00Z' }).success).toBe(true);
  });

  it('refuses an invoice due before it is issued and an unknown currency', () => {
    const invoice = { number: 'INV-1', clientId: 'c1', amountMinor: 12050, currency: 'EUR', issueDate: '2026-01-10', dueDate: '2026-01-09' };
    expect(InvoiceInput.safeParse(invoice).error?.issues[0]?.path).toEqual(['dueDate']);
    expect(InvoiceInput.safeParse({ ...invoice, dueDate: '2026-02-10', currency: 'EURO' }).success).toBe(false);
    expect(InvoiceInput.safeParse({ ...invoice, dueDate: '2026-02-10', amountMinor: 10.5 }).success).toBe(false);
  });

  it('gives a new client email consent and no SMS consent unless told', () => {
    expect(ClientInput.parse({ firstName: 'Ana' })).toMatchObject({ consent: { email: true, sms: false }, status: 'active', customFields: {} });
  });

  it('lets a client patch clear an email with null but not the first name', () => {
    expect(ClientPatch.safeParse({ email: null }).success).toBe(true);
    expect(ClientPatch.safeParse({ firstName: null }).success).toBe(false);
  });

  it('validates time zones as IANA names', () => {
    const settings = { businessName: 'Salon', timeZone: 'Europe/Madrid', defaultLanguage: 'es', bookingApproval: 'manual', orderStatuses: ['New'], leadStatuses: ['New'] };
    expect(SettingsInput.safeParse(settings).success).toBe(true);
    expect(SettingsInput.safeParse({ ...settings, timeZone: 'Mars/Olympus' }).success).toBe(false);
    expect(SettingsInput.safeParse({ ...settings, timeZone: 'EST' }).success).toBe(false);
    expect(SettingsInput.safeParse({ ...settings, defaultLanguage: 'de' }).success).toBe(false);
    expect(SettingsInput.safeParse({ ...settings, orderStatuses: ['New', 'New'] }).success).toBe(false);
  });

  it('refuses overlapping or inverted business hours', () => {
    const location = { name: 'Centre', timeZone: 'Europe/Madrid' };
    expect(LocationInput.parse(location).businessHours.mon).toEqual([]);
    expect(LocationInput.safeParse({ ...location, businessHours: { mon: [{ open: '09:00', close: '14:00' }, { open: '16:00', close: '20:00' }] } }).success).toBe(true);
    expect(LocationInput.safeParse({ ...location, businessHours: { mon: [{ open: '09:00', close: '14:00' }, { open: '13:00', close: '20:00' }] } }).success).toBe(false);
    expect(LocationInput.safeParse({ ...location, businessHours: { tue: [{ open: '18:00', close: '09:00' }] } }).success).toBe(false);
    expect(LocationInput.safeParse({ ...location, businessHours: { tue: [{ open: '9:00', close: '17:00' }] } }).success).toBe(false);
  });

  it('takes an order status from the tenant list, defaulting to its first', () => {
    expect(statusFromList(undefined, ['New', 'Ready'])).toBe('New');
    expect(statusFromList('Ready', ['New', 'Ready'])).toBe('Ready');
    expect(thrown(() => statusFromList('Done', ['New', 'Ready'])).details).toEqual({ issues: [{ path: 'status', message: "must be one of the business's statuses: New, Ready" }] });
  });
});

describe('phone numbers', () => {
  it('stores E.164 from common notations', () => {
    expect(toE164('+34 612 34 56 78')).toBe('+34612345678');
    expect(toE164('612 345 678', 'ES')).toBe('+34612345678');
    expect(toE164('(123) 456-7890', 'US')).toBeUndefined(); // no US area code starts with 1
    expect(toE164('(201) 555-0123', 'US')).toBe('+12015550123');
    expect(toE164('12')).toBeUndefined();
  });
  it('knows when a number carries its country code', () => {
    expect(hasCountryCode('+44 20 7946 0958')).toBe(true);
    expect(hasCountryCode('0044 20 7946 0958')).toBe(true);
    expect(hasCountryCode('020 7946 0958')).toBe(false);
  });
});

describe('custom fields', () => {
  const field = (id: string, type: ClientField['type'], options?: string[]): ClientField => ({
    id,
    type,
    label: id,
    forms: [],
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...(options ? { options } : {}),
  });
  const fields = [field('f1', 'text'), field('f2', 'number'), field('f3', 'select', ['a', 'b']), field('f4', 'date'), field('f5', 'boolean')];

  it('accepts values of the defined types and names each bad one', () => {
    expect(checkCustomFieldValues({ f1: 'x', f2: 3, f3: 'a', f4: '2026-01-01', f5: false }, fields)).toEqual([]);
    expect(checkCustomFieldValues({ f1: 3, f3: 'c', f4: 'tomorrow', nope: 'x' }, fields).map((issue) => issue.path)).toEqual([
      'customFields.f1',
      'customFields.f3',
      'customFields.f4',
      'customFields.nope',
    ]);
  });

  it('clears a value with null', () => {
    expect(mergeCustomFieldValues({ f1: 'x', f2: 1 }, { f1: null, f3: 'b' })).toEqual({ f2: 1, f3: 'b' });
  });

  it('needs options exactly for select fields', () => {
    expect(ClientFieldInput.safeParse({ label: 'Hair type', type: 'select' }).success).toBe(false);
    expect(ClientFieldInput.safeParse({ label: 'Hair type', type: 'text', options: ['a'] }).success).toBe(false);
    expect(ClientFieldInput.parse({ label: 'Hair type', type: 'select', options: ['curly'] }).forms).toEqual([]);
  });
});

describe('record versions', () => {
  it('starts at version 1 and bumps on each revision', () => {
    const created = newRecord({ name: 'a' }, 'id1', new Date('2026-01-01T00:00:00Z'));
    expect(created).toMatchObject({ id: 'id1', version: 1, createdAt: '2026-01-01T00:00:00.000Z' });
    const next = revise(created, { name: 'b' }, new Date('2026-01-02T00:00:00Z'));
    expect(next).toMatchObject({ name: 'b', version: 2, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-02T00:00:00.000Z' });
  });
});
