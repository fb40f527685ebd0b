import * as z from 'zod';
import { bookingKind, type Booking } from '#domain/bookings.ts';
import {
  CustomFieldEntry,
  InvoiceSummary,
  bookingTabQuery,
  bookingTabs,
  businessDate,
  cardPartSize,
  customFieldEntries,
  invoiceSummary,
  openEstimates,
  type BookingTab,
} from '#domain/client-card.ts';
import { Client, clientKind } from '#domain/clients.ts';
import { Document, documentKind } from '#domain/documents.ts';
import { invalidInput, notFound } from '#domain/errors.ts';
import { estimateKind, estimateStatuses, type Estimate } from '#domain/estimates.ts';
import { invoiceKind, invoiceStatuses, type Invoice } from '#domain/invoices.ts';
import { Lead, leadKind } from '#domain/leads.ts';
import { ConversationMessage } from '#domain/messages/conversation.ts';
import { upcomingScanLimit } from '#domain/messages/upcoming.ts';
import type { Page, StoredRecord } from '#domain/record-store.ts';
import type { VersionedKind } from '#domain/record-kinds.ts';
import { CalendarDate } from '#domain/values.ts';
import type { AppDeps } from '#http/deps.ts';
import { decodeJsonCursor, encodeJsonCursor } from '#http/json-cursor.ts';
import { IdParams, answerSchemasOf, errors, pageFields, pageOf, shownBy } from '#http/record-routes.ts';
import { bookingArea } from '#api/bookings.ts';
import { estimateArea } from '#api/estimates.ts';
import { invoiceArea } from '#api/invoices.ts';
import { etag } from '#http/request.ts';
import { defineRoute, type AnyRoute } from '#http/route.ts';
import { clientFieldDefinitions } from '#services/client-field-definitions.ts';
import { tenantSettings } from '#services/tenant-settings.ts';

/**
 * The client card (`GET /clients/{id}/card`) and the tabs that page through each of its parts. The
 * card reads every part at once; the splits, sums and labels come from `#domain/client-card.ts`.
 */

// Bookings, invoices and estimates on the card are shown as their own lists show them: with allowedActions.
const BookingAnswer = answerSchemasOf(bookingArea).record;
const InvoiceAnswer = answerSchemasOf(invoiceArea).record;
const EstimateAnswer = answerSchemasOf(estimateArea).record;
const shownBooking = shownBy(bookingArea);
const shownInvoice = shownBy(invoiceArea);
const shownEstimate = shownBy(estimateArea);
const shownPage = <T extends StoredRecord>(page: Page<T>, shown: (record: T) => T): Page<T> => ({ ...page, items: page.items.map(shown) });

/** Reads the client and the parts at once; an unknown client is a 404, whatever else failed. */
async function withClient<T>(deps: AppDeps, tenantId: string, clientId: string, parts: () => Promise<T>): Promise<[StoredRecord, T]> {
  const [client, read] = await Promise.allSettled([deps.store.get(tenantId, clientKind, clientId), Promise.resolve().then(parts)]);
  if (client.status === 'rejected') throw client.reason;
  if (!client.value) throw notFound(clientKind, clientId);
  if (read.status === 'rejected') throw read.reason;
  return [client.value, read.value];
}

interface PageRequest {
  readonly limit: number;
  readonly cursor?: string | undefined;
}

/** The client's records of a kind, latest first (by due date, expiry or creation). */
const latestOf = (deps: AppDeps, tenantId: string, clientId: string, kind: VersionedKind, page: PageRequest, status?: string) =>
  deps.store.list(tenantId, kind, {
    order: { by: 'client', clientId, newestFirst: true },
    limit: page.limit,
    ...(page.cursor === undefined ? {} : { cursor: page.cursor }),
    ...(status === undefined ? {} : { where: { status } }),
  });

/** Every record of the kind in the status: money summaries must count them all, and a client's open invoices and estimates are few. */
async function everyOf(deps: AppDeps, tenantId: string, clientId: string, kind: VersionedKind, status: string): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.list(tenantId, kind, { order: { by: 'client', clientId }, where: { status }, limit: 100, ...(cursor === undefined ? {} : { cursor }) });
    records.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return records;
}

/**
 * A booking tab's cursor carries the instant the tab was split at, so paging on while time passes
 * neither loses nor repeats a booking, and a cursor of one tab is refused by the other.
 */
const BookingsCursor = z.strictObject({ when: z.enum(bookingTabs), asOf: z.iso.datetime(), after: z.string().min(1) });
type BookingsPosition = Omit<z.infer<typeof BookingsCursor>, 'after'> & { readonly after?: string };

async function bookingsPage(deps: AppDeps, tenantId: string, clientId: string, position: BookingsPosition, limit: number): Promise<Page<StoredRecord>> {
  const { when, asOf } = position;
  const page = await deps.store.list(tenantId, bookingKind, {
    ...bookingTabQuery(clientId, when, asOf),
    limit,
    ...(position.after === undefined ? {} : { cursor: position.after }),
  });
  return { items: page.items.map(shownBooking), nextCursor: page.nextCursor === null ? null : encodeJsonCursor({ when, asOf, after: page.nextCursor }) };
}

function bookingsPosition(when: BookingTab, cursor: string | undefined, now: Date): BookingsPosition {
  if (cursor === undefined) return { when, asOf: now.toISOString() };
  const position = decodeJsonCursor(BookingsCursor, cursor);
  if (position.when !== when) throw invalidInput([{ path: 'cursor', message: `is a cursor of the ${position.when} bookings, not the ${when} ones` }], 'The cursor is not valid');
  return position;
}

const ClientCard = z
  .object({
    asOf: z.iso.datetime().meta({ description: 'The instant bookings were split at into upcoming, past and cancelled' }),
    today: CalendarDate.meta({ description: 'The business’s date in its time zone, which decides what is overdue' }),
    profile: Client,
    customFields: z.array(CustomFieldEntry).meta({ description: 'The business’s client fields, in their order, with this client’s values' }),
    bookings: z.object({
      upcoming: pageOf(BookingAnswer).meta({ description: 'Pending and confirmed bookings from now on, soonest first' }),
      past: pageOf(BookingAnswer).meta({ description: 'Bookings that started before now, latest first' }),
      cancelled: pageOf(BookingAnswer).meta({ description: 'Bookings still ahead that will not take place (cancelled, rejected or closed early), soonest first' }),
    }),
    invoices: pageOf(InvoiceAnswer).extend(InvoiceSummary.shape).meta({ description: 'The latest invoices by due date, and what is due and overdue' }),
    estimates: pageOf(EstimateAnswer)
      .extend({ open: z.array(EstimateAnswer).meta({ description: 'Issued estimates awaiting an answer, expiring soonest first' }) })
      .meta({ description: 'The latest estimates by expiry date' }),
    documents: pageOf(Document).meta({ description: 'The latest documents the client uploaded' }),
    conversation: pageOf(ConversationMessage).meta({ description: 'The latest messages to and from the client' }),
    upcoming: z
      .array(ConversationMessage)
      .max(cardPartSize)
      .meta({ description: `The client’s messages armed and not yet sent (\`scheduled\`), due soonest first: the first ${cardPartSize} among the client’s latest ${upcomingScanLimit} messages` }),
    leads: pageOf(Lead).meta({ description: 'The client’s leads, latest first' }),
  })
  .meta({ id: 'ClientCard' });

const base = { tag: 'Clients', auth: 'tenant' as const, params: IdParams };

const card = defineRoute({
  ...base,
  method: 'GET',
  path: '/clients/{id}/card',
  summary: 'The client card: profile, custom fields, bookings, invoices and estimates with what is owed, documents, conversation, upcoming messages and leads',
  responses: { 200: { description: 'The card; each part’s nextCursor continues on that part’s own list. ETag is the client’s version', schema: ClientCard }, ...errors(400, 404) },
  async operation(request, deps) {
    const { tenantId } = request;
    const clientId = request.params.id;
    const now = deps.now();
    const asOf = now.toISOString();
    const first = { limit: cardPartSize };
    const [client, [definitions, settings, upcoming, past, cancelled, invoices, issuedInvoices, estimates, issuedEstimates, documents, conversation, upcomingMessages, leads]] = await withClient(
      deps,
      tenantId,
      clientId,
      () =>
        Promise.all([
          clientFieldDefinitions(deps, tenantId),
          tenantSettings(deps, tenantId),
          bookingsPage(deps, tenantId, clientId, { when: 'upcoming', asOf }, cardPartSize),
          bookingsPage(deps, tenantId, clientId, { when: 'past', asOf }, cardPartSize),
          bookingsPage(deps, tenantId, clientId, { when: 'cancelled', asOf }, cardPartSize),
          latestOf(deps, tenantId, clientId, invoiceKind, first),
          everyOf(deps, tenantId, clientId, invoiceKind, 'issued'),
          latestOf(deps, tenantId, clientId, estimateKind, first),
          everyOf(deps, tenantId, clientId, estimateKind, 'issued'),
          latestOf(deps, tenantId, clientId, documentKind, first),
          deps.messages.listForClient(tenantId, clientId, first),
          deps.messages.upcomingForClient(tenantId, clientId, cardPartSize),
          latestOf(deps, tenantId, clientId, leadKind, first),
        ]),
    );
    const today = businessDate(now, settings.timeZone);
    const profile = client as Client;
    const body: z.infer<typeof ClientCard> = {
      asOf,
      today,
      profile,
      customFields: customFieldEntries(profile.customFields, definitions),
      bookings: { upcoming: upcoming as Page<Booking>, past: past as Page<Booking>, cancelled: cancelled as Page<Booking> },
      invoices: { ...(shownPage(invoices, shownInvoice) as Page<Invoice>), ...invoiceSummary(issuedInvoices as Invoice[], today) },
      estimates: { ...(shownPage(estimates, shownEstimate) as Page<Estimate>), open: openEstimates(issuedEstimates as Estimate[]).map(shownEstimate) },
      documents: documents as Page<Document>,
      conversation,
      upcoming: upcomingMessages,
      leads: leads as Page<Lead>,
    };
    return { status: 200, body, headers: { etag: etag(profile.version) } };
  },
});

const bookingsTab = defineRoute({
  ...base,
  method: 'GET',
  path: '/clients/{id}/bookings',
  summary: 'The client’s upcoming bookings (pending or confirmed, soonest first), past ones (latest first) or cancelled ones still ahead (soonest first)',
  query: z.strictObject({ ...pageFields, when: z.enum(bookingTabs).default('upcoming').meta({ description: 'upcoming (the default), past or cancelled' }) }),
  responses: { 200: { description: 'A page of bookings', schema: pageOf(BookingAnswer) }, ...errors(400, 404) },
  async operation(request, deps) {
    const { tenantId } = request;
    const clientId = request.params.id;
    const { when, cursor, limit } = request.query;
    const [, page] = await withClient(deps, tenantId, clientId, () => bookingsPage(deps, tenantId, clientId, bookingsPosition(when, cursor, deps.now()), limit));
    return { status: 200, body: page };
  },
});

/** A tab of the client's records of one kind, latest first, optionally in one status. */
function recordTab(segment: string, kind: VersionedKind, record: z.ZodType, status?: z.ZodType, shown: (record: StoredRecord) => StoredRecord = (same) => same): AnyRoute {
  return defineRoute({
    ...base,
    method: 'GET',
    path: `/clients/{id}/${segment}`,
    summary: `The client’s ${segment}, latest first`,
    query: z.strictObject({ ...pageFields, ...(status ? { status: status.optional() } : {}) }),
    responses: { 200: { description: `A page of ${segment}`, schema: pageOf(record) }, ...errors(400, 404) },
    async operation(request, deps) {
      const { tenantId } = request;
      const clientId = request.params.id;
      const query = request.query as PageRequest & { status?: string };
      const [, page] = await withClient(deps, tenantId, clientId, () => latestOf(deps, tenantId, clientId, kind, query, query.status));
      return { status: 200, body: shownPage(page, shown) };
    },
  });
}

export const routes: AnyRoute[] = [
  card,
  bookingsTab,
  recordTab('invoices', invoiceKind, InvoiceAnswer, z.enum(invoiceStatuses), shownInvoice),
  recordTab('estimates', estimateKind, EstimateAnswer, z.enum(estimateStatuses), shownEstimate),
  recordTab('leads', leadKind, Lead),
  // Only uploaded documents belong to a client: pending ones have no clientId and are not in its index.
  recordTab('documents', documentKind, Document),
];
