import * as settings from '#api/settings.ts';
import * as locations from '#api/locations.ts';
import * as clients from '#api/clients.ts';
import * as clientFields from '#api/client-fields.ts';
import * as bookings from '#api/bookings.ts';
import * as invoices from '#api/invoices.ts';
import * as estimates from '#api/estimates.ts';
import * as orders from '#api/orders.ts';
import * as leads from '#api/leads.ts';
import * as automatedMessages from '#api/automated-messages.ts';
import * as rules from '#api/rules.ts';
import * as templates from '#api/templates.ts';
import * as notifications from '#api/notifications.ts';
import * as publicWidgets from '#api/public.ts';
import * as documents from '#api/documents.ts';
import * as unsubscribe from '#api/unsubscribe.ts';
import * as imports from '#api/imports.ts';

/** The areas that hold a tenant's records; each is one Lambda function, named like its module. */
export const recordAreas = [
  { area: 'settings', ...settings, uses: ['ses-tenants', 'business-claims'] },
  { area: 'locations', ...locations },
  { area: 'clients', ...clients, uses: ['delivery-queue'] },
  { area: 'client-fields', ...clientFields },
  { area: 'bookings', ...bookings },
  { area: 'invoices', ...invoices },
  { area: 'estimates', ...estimates },
  { area: 'orders', ...orders },
  { area: 'leads', ...leads },
  { area: 'automated-messages', ...automatedMessages },
  { area: 'rules', ...rules },
  { area: 'templates', ...templates },
  { area: 'notifications', ...notifications },
  { area: 'documents', ...documents, tableAccess: 'read', uses: ['document-downloads'] },
  { area: 'public', ...publicWidgets, uses: ['slug-lookup', 'public-rate-limit', 'document-uploads'] },
  { area: 'unsubscribe', ...unsubscribe, uses: ['unsubscribe-rate-limit', 'unsubscribe-key'] },
  { area: 'imports', ...imports, uses: ['import-files', 'import-queue'] },
] as const;
