import { Invoice, InvoiceInput, InvoicePatch, invoiceKind, invoiceLifecycle, invoiceStatuses } from '#domain/invoices.ts';
import { httpHandler } from '#http/http-handler.ts';
import { apiDeps } from '#wiring/api.ts';
import { recordMessagesRoute } from '#api/record-messages.ts';
import { numberedDocumentArea } from '#api/numbered-documents.ts';
import { recordRoutes } from '#http/record-routes.ts';

export const invoiceArea = numberedDocumentArea({
  kind: invoiceKind,
  path: '/invoices',
  tag: 'Invoices',
  record: Invoice,
  schemaId: 'Invoice',
  input: InvoiceInput,
  patch: InvoicePatch,
  dateDescribes: 'due date',
  embedsClient: true,
  statuses: invoiceStatuses,
  lifecycle: invoiceLifecycle,
  actions: [
    { name: 'issue', summary: 'Issue a draft invoice to the client', to: 'issued' },
    { name: 'pay', summary: 'Record that an issued invoice was paid', to: 'paid' },
    { name: 'void', summary: 'Void an issued invoice', to: 'void' },
  ],
});

export const routes = [...recordRoutes(invoiceArea), recordMessagesRoute(invoiceKind, invoiceArea)];
export const handler = httpHandler(routes, apiDeps());
