import { z } from 'zod';
import { Invoice, InvoiceInput, InvoicePatch, invoiceKind, invoiceLifecycle, invoiceStatuses } from '#domain/invoices.ts';
import { CalendarDate } from '#domain/values.ts';
import { httpHandler } from '#http/http-handler.ts';
import { recordRoutes } from '#http/record-routes.ts';
import { appDeps } from '#handlers/wiring.ts';
import { numberedDocument } from '#handlers/numbered-documents.ts';

const document = numberedDocument(invoiceKind, InvoiceInput);

export const routes = recordRoutes({
  kind: invoiceKind,
  path: '/invoices',
  tag: 'Invoices',
  record: Invoice.meta({ id: 'Invoice' }),
  create: document.create,
  patch: { body: InvoicePatch, prepare: document.prepareChange },
  remove: document.remove,
  list: { defaultOrder: 'created', time: { schema: CalendarDate, describes: 'due date' }, byClient: true, status: z.enum(invoiceStatuses) },
  lifecycle: {
    statuses: invoiceLifecycle,
    actions: [
      { name: 'issue', summary: 'Issue a draft invoice to the client', to: 'issued' },
      { name: 'pay', summary: 'Record that an issued invoice was paid', to: 'paid' },
      { name: 'void', summary: 'Void an issued invoice', to: 'void' },
    ],
  },
});

export const handler = httpHandler(routes, appDeps);
