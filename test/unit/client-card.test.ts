import { describe, expect, it } from 'vitest';
import { bookingTabQuery, businessDate, customFieldEntries, invoiceSummary, isOverdue, openEstimates } from '#domain/client-card.ts';
import { bookingStatuses } from '#domain/bookings.ts';
import type { ClientField } from '#domain/client-fields.ts';
import type { Estimate } from '#domain/estimates.ts';
import type { Invoice } from '#domain/invoices.ts';

const at = '2026-03-01T10:00:00.000Z';
const meta = (id: string) => ({ id, version: 1, createdAt: at, updatedAt: at });
const field = (id: string, label: string, type: ClientField['type'] = 'text'): ClientField => ({ ...meta(id), label, type, forms: [] });
const invoice = (id: string, status: Invoice['status'], dueDate: string, amountMinor: number, currency = 'EUR'): Invoice => ({
  ...meta(id),
  number: `F-${id}`,
  clientId: 'C1',
  amountMinor,
  currency,
  issueDate: '2026-01-01',
  dueDate,
  status,
});
const estimate = (id: string, status: Estimate['status'], expiresOn: string): Estimate => ({
  ...meta(id),
  number: `P-${id}`,
  clientId: 'C1',
  amountMinor: 1000,
  currency: 'EUR',
  expiresOn,
  status,
});

describe('custom fields on the card', () => {
  it('labels each value by the current definitions, in their order, with null where the client has none', () => {
    const definitions = [field('F2', 'Hair type', 'select'), field('F1', 'Allergies'), field('F3', 'Visits', 'number')];
    expect(customFieldEntries({ F1: 'latex', F2: 'curly' }, definitions)).toEqual([
      { id: 'F2', label: 'Hair type', type: 'select', value: 'curly' },
      { id: 'F1', label: 'Allergies', type: 'text', value: 'latex' },
      { id: 'F3', label: 'Visits', type: 'number', value: null },
    ]);
  });

  it('leaves out values whose definition was deleted and shows a relabelled field under its new label', () => {
    expect(customFieldEntries({ F1: 'latex', gone: 'x' }, [field('F1', 'Allergies (medical)')])).toEqual([
      { id: 'F1', label: 'Allergies (medical)', type: 'text', value: 'latex' },
    ]);
  });

  it('keeps false and 0 as values, not as missing', () => {
    expect(customFieldEntries({ F1: false, F2: 0 }, [field('F1', 'Newsletter', 'boolean'), field('F2', 'Visits', 'number')]).map((entry) => entry.value)).toEqual([false, 0]);
  });
});

describe('booking tabs', () => {
  const asOf = '2026-03-01T10:00:00.000Z';

  it('lists upcoming bookings from the split instant on, soonest first, only pending or confirmed', () => {
    expect(bookingTabQuery('C1', 'upcoming', asOf)).toEqual({
      order: { by: 'client', clientId: 'C1', from: asOf },
      where: { status: ['pending', 'confirmed'] },
    });
  });

  it('lists past bookings before the split instant, latest first, whatever their status', () => {
    expect(bookingTabQuery('C1', 'past', asOf)).toEqual({ order: { by: 'client', clientId: 'C1', to: asOf, newestFirst: true } });
  });

  it('lists cancelled bookings still ahead, soonest first: every status that is not open', () => {
    expect(bookingTabQuery('C1', 'cancelled', asOf)).toEqual({
      order: { by: 'client', clientId: 'C1', from: asOf },
      where: { status: ['rejected', 'cancelled', 'completed', 'no_show'] },
    });
  });

  it('puts a booking ahead in exactly one tab, whatever its status', () => {
    const ahead = (['upcoming', 'cancelled'] as const).flatMap((tab) => bookingTabQuery('C1', tab, asOf).where!.status as readonly string[]);
    expect([...ahead].sort()).toEqual([...bookingStatuses].sort());
  });
});

describe('what the client owes', () => {
  it('reads today in the business’s time zone', () => {
    const lateEvening = new Date('2026-03-01T23:30:00Z');
    expect(businessDate(lateEvening, 'Europe/Madrid')).toBe('2026-03-02');
    expect(businessDate(lateEvening, 'America/New_York')).toBe('2026-03-01');
    expect(businessDate(lateEvening, 'UTC')).toBe('2026-03-01');
  });

  it('counts an issued invoice as overdue only once its due date is before today', () => {
    expect(isOverdue({ status: 'issued', dueDate: '2026-03-01' }, '2026-03-02')).toBe(true);
    expect(isOverdue({ status: 'issued', dueDate: '2026-03-02' }, '2026-03-02')).toBe(false);
    expect(isOverdue({ status: 'paid', dueDate: '2026-01-01' }, '2026-03-02')).toBe(false);
    expect(isOverdue({ status: 'draft', dueDate: '2026-01-01' }, '2026-03-02')).toBe(false);
  });

  it('totals due and overdue issued invoices per currency, never adding different currencies', () => {
    const invoices = [
      invoice('I1', 'issued', '2026-02-01', 4500),
      invoice('I2', 'issued', '2026-02-15', 1050),
      invoice('I3', 'issued', '2026-02-20', 2000, 'USD'),
      invoice('I4', 'issued', '2026-03-02', 9900),
      invoice('I5', 'issued', '2026-04-01', 100, 'GBP'),
      invoice('I6', 'paid', '2026-01-01', 777),
      invoice('I7', 'draft', '2026-01-01', 888),
      invoice('I8', 'void', '2026-01-01', 999),
    ];
    expect(invoiceSummary(invoices, '2026-03-02')).toEqual({
      due: { count: 2, totals: [{ currency: 'EUR', amountMinor: 9900 }, { currency: 'GBP', amountMinor: 100 }] },
      overdue: { count: 3, totals: [{ currency: 'EUR', amountMinor: 5550 }, { currency: 'USD', amountMinor: 2000 }] },
    });
  });

  it('owes nothing when nothing is issued', () => {
    expect(invoiceSummary([invoice('I1', 'paid', '2026-01-01', 100)], '2026-03-02')).toEqual({ due: { count: 0, totals: [] }, overdue: { count: 0, totals: [] } });
  });

  it('lists the estimates awaiting an answer, expiring soonest first', () => {
    const estimates = [estimate('E1', 'issued', '2026-05-01'), estimate('E2', 'accepted', '2026-03-10'), estimate('E3', 'issued', '2026-04-01'), estimate('E4', 'draft', '2026-03-05')];
    expect(openEstimates(estimates).map((open) => open.id)).toEqual(['E3', 'E1']);
  });
});
