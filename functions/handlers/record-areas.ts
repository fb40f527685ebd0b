import * as settings from '#handlers/settings.ts';
import * as locations from '#handlers/locations.ts';
import * as clients from '#handlers/clients.ts';
import * as clientFields from '#handlers/client-fields.ts';
import * as bookings from '#handlers/bookings.ts';
import * as invoices from '#handlers/invoices.ts';
import * as estimates from '#handlers/estimates.ts';
import * as orders from '#handlers/orders.ts';
import * as leads from '#handlers/leads.ts';
import * as automatedMessages from '#handlers/automated-messages.ts';
import * as rules from '#handlers/rules.ts';
import * as templates from '#handlers/templates.ts';
import * as notifications from '#handlers/notifications.ts';
import * as publicWidgets from '#handlers/public.ts';
import * as documents from '#handlers/documents.ts';

/** The areas that hold a tenant's records; each is one Lambda function, named like its module. */
export const recordAreas = [
  { area: 'settings', ...settings },
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
  { area: 'public', ...publicWidgets, uses: ['public-rate-limit', 'document-uploads'] },
] as const;
