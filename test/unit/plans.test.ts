import { describe, expect, it } from 'vitest';
import { DomainError } from '#domain/errors.ts';
import { monthIn, requirePaidPlan, smsBudgetOf, thresholdsReached, usageNotice } from '#domain/plans.ts';
import { invoiceForBooking } from '#domain/booking-invoice.ts';
import type { Booking } from '#domain/bookings.ts';
import { defaultAutomatedMessages } from '#domain/messages/rules.ts';
import { customScreenTexts, renderScreenText, screenTextIssues, screenTypeFor } from '#domain/messages/screen-text.ts';
import { languages } from '#domain/values.ts';

describe('the month an SMS counts in', () => {
  it('is the business’s own calendar month, in its zone', () => {
    // 23:30 UTC on 31 January is already February in Madrid, still January in New York.
    const at = new Date('2026-01-31T23:30:00Z');
    expect(monthIn(at, 'Europe/Madrid')).toBe('2026-02');
    expect(monthIn(at, 'America/New_York')).toBe('2026-01');
    expect(monthIn(at, 'UTC')).toBe('2026-01');
    // New Year in Auckland comes half a day before UTC's.
    expect(monthIn(new Date('2026-12-31T11:00:00Z'), 'Pacific/Auckland')).toBe('2027-01');
  });
});

describe('the budget', () => {
  it('is the plan’s, or the operator’s own figure on a paid plan; none on the free plan', () => {
    expect(smsBudgetOf({ plan: 'standard' })).toBe(300);
    expect(smsBudgetOf({ plan: 'pro', smsSegmentsPerMonth: 10 })).toBe(10);
    expect(smsBudgetOf({ plan: 'free', smsSegmentsPerMonth: 10 })).toBe(0);
  });

  it('notifies at 80 % and at 100 %, by what is used', () => {
    expect(thresholdsReached(7, 10)).toEqual([]);
    expect(thresholdsReached(8, 10)).toEqual([80]);
    expect(thresholdsReached(9, 10)).toEqual([80]);
    expect(thresholdsReached(10, 10)).toEqual([80, 100]);
    // 80 % of 7 is 5.6: the sixth segment reaches it.
    expect(thresholdsReached(5, 7)).toEqual([]);
    expect(thresholdsReached(6, 7)).toEqual([80]);
    expect(thresholdsReached(0, 0)).toEqual([]);
  });

  it('tells the business in its language', () => {
    for (const language of languages) {
      const notice = usageNotice(100, '2026-03', 10, language);
      expect(notice.subject).toMatch(/\S/);
      expect(notice.text).toContain('2026-03');
      expect(notice.text).toContain('10');
    }
  });

  it('refuses custom texts on the free plan with the plan named', () => {
    expect(() => requirePaidPlan({ plan: 'standard' }, 'Custom texts')).not.toThrow();
    try {
      requirePaidPlan({ plan: 'free' }, 'Custom texts');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'plan_required', details: { plan: 'free', requires: ['standard', 'pro'] } });
    }
  });
});

describe('invoicing a booking', () => {
  const booking: Booking = {
    id: 'B1',
    clientId: 'C1',
    locationId: 'L1',
    service: 'Corte',
    start: '2026-03-29T23:30:00+00:00',
    end: '2026-03-30T00:15:00+00:00',
    status: 'completed',
    price: { amountMinor: 4500, currency: 'EUR' },
    version: 4,
    createdAt: '2026-03-01T00:00:00.000Z',
    updatedAt: '2026-03-30T00:00:00.000Z',
  };
  const context = { id: 'I1', now: new Date('2026-03-31T22:30:00Z'), zone: 'Europe/Madrid', businessZone: 'Europe/Madrid' };

  it('prefills the draft from the booking: client, price, service and its local date; issued today in the business’s zone, due on receipt', () => {
    expect(invoiceForBooking(booking, { number: 'F-1' }, context)).toMatchObject({
      id: 'I1',
      number: 'F-1',
      clientId: 'C1',
      amountMinor: 4500,
      currency: 'EUR',
      notes: 'Corte, 2026-03-30',
      issueDate: '2026-04-01',
      dueDate: '2026-04-01',
      status: 'draft',
      bookingId: 'B1',
    });
  });

  it('charges a price given in the call, and refuses what cannot be invoiced', () => {
    expect(invoiceForBooking({ ...booking, price: undefined }, { number: 'F-2', price: { amountMinor: 100, currency: 'USD' } }, context)).toMatchObject({ amountMinor: 100, currency: 'USD' });
    expect(() => invoiceForBooking({ ...booking, price: undefined }, { number: 'F-2' }, context)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    expect(() => invoiceForBooking({ ...booking, status: 'confirmed' }, { number: 'F-2' }, context)).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(invoiceForBooking({ ...booking, status: 'no_show' }, { number: 'F-3' }, context).status).toBe('draft');
    expect(() => invoiceForBooking(booking, { number: 'F-2', issueDate: '2026-04-02', dueDate: '2026-04-01' }, context)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});

describe('the confirmation screen', () => {
  const context = {
    language: 'es' as const,
    business: { name: 'Salón Lucía', timeZone: 'Europe/Madrid' },
    location: { name: 'Centro', timeZone: 'Europe/Madrid' },
    client: { firstName: 'Ana' },
    record: { service: 'Corte', start: '2030-03-29T10:00:00+01:00', end: '2030-03-29T10:45:00+01:00' },
  };

  it('has a default for a confirmed and for a pending booking in every language', () => {
    for (const status of ['confirmed', 'pending']) {
      for (const language of languages) {
        const text = renderScreenText(defaultAutomatedMessages, { ...context, language, messageType: screenTypeFor(status) });
        expect(text).toContain('Ana');
        expect(text).toContain('Corte');
        expect(text).not.toMatch(/\{\{|\{%/);
      }
    }
    expect(() => screenTypeFor('cancelled')).toThrow();
  });

  it('renders the business’s own text, and checks it as a template', () => {
    const page = { ...defaultAutomatedMessages, bookingStatus: { ...defaultAutomatedMessages.bookingStatus, pending: { email: true, sms: false, screenText: { es: 'Pendiente: {{ booking.time }}, {{ client.firstName }}' } } } };
    expect(renderScreenText(page, { ...context, messageType: screenTypeFor('pending') })).toBe('Pendiente: 10:00, Ana');
    expect(customScreenTexts(page)).toEqual([{ path: 'bookingStatus.pending.screenText.es', messageType: 'booking_pending', text: 'Pendiente: {{ booking.time }}, {{ client.firstName }}' }]);
    expect(screenTextIssues(page)).toEqual([]);
    const bad = { ...page, bookingConfirmation: { sms: false, screenText: { fr: '{{ invoice.number }}' } } };
    expect(screenTextIssues(bad)).toEqual([{ path: 'bookingConfirmation.screenText.fr', message: expect.any(String) }]);
  });
});
