import * as z from 'zod';
import { DateTime } from 'luxon';
import { bookingStatuses, openBookingStatuses } from '#domain/bookings.ts';
import { CustomFieldValue, fieldTypes, type ClientField } from '#domain/client-fields.ts';
import type { Estimate } from '#domain/estimates.ts';
import type { Invoice } from '#domain/invoices.ts';
import type { ListQuery } from '#domain/record-store.ts';

/**
 * The client card: everything the business knows about one client on one screen. The handler reads
 * the parts; these functions decide what goes where (upcoming or past, due or overdue), sum money
 * per currency and label custom field values, with no I/O.
 */

/** How many items of each part the card shows; each part's own list pages through the rest. */
export const cardPartSize = 5;

export const bookingTabs = ['upcoming', 'past', 'cancelled'] as const;
export type BookingTab = (typeof bookingTabs)[number];

/** Every status a booking ahead leaves the upcoming tab for: it will not take place as booked. */
const closedBookingStatuses = bookingStatuses.filter((status) => !openBookingStatuses.includes(status));

/**
 * A client's bookings split at `asOf`, each in exactly one tab: upcoming ones (starting at or after
 * it, still pending or confirmed) soonest first; past ones (starting before it, whatever became of
 * them) latest first; and cancelled ones (still ahead, but cancelled, rejected or closed early)
 * soonest first, so a cancellation stays in sight until its time has passed.
 */
export function bookingTabQuery(clientId: string, tab: BookingTab, asOf: string): Pick<ListQuery, 'order' | 'where'> {
  switch (tab) {
    case 'upcoming':
      return { order: { by: 'client', clientId, from: asOf }, where: { status: openBookingStatuses } };
    case 'past':
      return { order: { by: 'client', clientId, to: asOf, newestFirst: true } };
    case 'cancelled':
      return { order: { by: 'client', clientId, from: asOf }, where: { status: closedBookingStatuses } };
  }
}

export const CustomFieldEntry = z.object({
  id: z.string(),
  label: z.string(),
  type: z.enum(fieldTypes),
  value: CustomFieldValue.meta({ description: 'The client’s value; null when it has none' }),
});
export type CustomFieldEntry = z.infer<typeof CustomFieldEntry>;

/**
 * The client's custom field values under the business's current definitions, in their order: a
 * relabelled field shows its new label, and a value whose definition was deleted is left out.
 */
export function customFieldEntries(values: Readonly<Record<string, CustomFieldValue>>, definitions: readonly ClientField[]): CustomFieldEntry[] {
  return definitions.map((field) => ({ id: field.id, label: field.label, type: field.type, value: values[field.id] ?? null }));
}

/** The business's calendar date at `now`: due dates are days in the business's zone. */
export const businessDate = (now: Date, timeZone: string): string => DateTime.fromJSDate(now, { zone: timeZone }).toISODate()!;

/** An issued invoice is overdue once its due date is before the business's today. */
export const isOverdue = (invoice: Pick<Invoice, 'status' | 'dueDate'>, today: string): boolean => invoice.status === 'issued' && invoice.dueDate < today;

export const MoneySummary = z.object({
  count: z.number().int(),
  totals: z
    .array(z.object({ currency: z.string(), amountMinor: z.number().int() }))
    .meta({ description: 'One total per currency, in its minor unit; amounts in different currencies are never added' }),
});
export type MoneySummary = z.infer<typeof MoneySummary>;

export const InvoiceSummary = z.object({
  due: MoneySummary.meta({ description: 'Issued invoices not yet past their due date' }),
  overdue: MoneySummary.meta({ description: 'Issued invoices whose due date is before today in the business’s time zone' }),
});
export type InvoiceSummary = z.infer<typeof InvoiceSummary>;

function summary(invoices: readonly Pick<Invoice, 'amountMinor' | 'currency'>[]): MoneySummary {
  const byCurrency = new Map<string, number>();
  for (const invoice of invoices) byCurrency.set(invoice.currency, (byCurrency.get(invoice.currency) ?? 0) + invoice.amountMinor);
  const totals = [...byCurrency].map(([currency, amountMinor]) => ({ currency, amountMinor })).sort((a, b) => a.currency.localeCompare(b.currency));
  return { count: invoices.length, totals };
}

/** What the client owes: issued invoices, split into due and overdue on the business's today. */
export function invoiceSummary(invoices: readonly Invoice[], today: string): InvoiceSummary {
  const issued = invoices.filter((invoice) => invoice.status === 'issued');
  return { due: summary(issued.filter((invoice) => !isOverdue(invoice, today))), overdue: summary(issued.filter((invoice) => isOverdue(invoice, today))) };
}

/** Estimates awaiting the client's answer (issued), the one expiring soonest first. */
export const openEstimates = (estimates: readonly Estimate[]): Estimate[] =>
  estimates.filter((estimate) => estimate.status === 'issued').sort((a, b) => a.expiresOn.localeCompare(b.expiresOn) || a.id.localeCompare(b.id));
