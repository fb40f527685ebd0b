import type { AreaResource } from '#api/catalog.ts';
import { Settings, SettingsInput, defaultSettings, settingsClaims, settingsId, settingsKind } from '#domain/settings.ts';
import { SenderDomainInput } from '#domain/sender.ts';
import { httpHandler } from '#http/http-handler.ts';
import { ErrorResponse } from '#http/record-routes.ts';
import { etag } from '#http/request.ts';
import { defineRoute } from '#http/route.ts';
import { singletonRoutes } from '#http/singleton-routes.ts';
import { logger } from '#logger';
import { ensureSenderTenant, readSenderSettings, registerSenderDomain, removeSenderDomain, SenderSettings } from '#services/sender-settings.ts';
import { apiDeps } from '#wiring/api.ts';
import { senderDeps } from '#wiring/ses.ts';
import { planRoutes } from '#api/plans.ts';

const error = (description: string) => ({ description, schema: ErrorResponse });
const answer = (body: SenderSettings) => ({ status: 200, body, headers: { etag: etag(body.version) } });

/** Who the business's email comes from: the platform address with its name, or its own verified domain. */
const senderRoutes = [
  defineRoute({
    method: 'GET',
    path: '/settings/sender',
    operationId: 'getSenderSettings',
    tag: 'Settings',
    auth: 'tenant',
    summary: 'How email goes out now (From, Reply-To), the own domain’s verification and the SES tenant’s standing, read from SES now',
    responses: { 200: { description: 'The sender settings; ETag carries the version', schema: SenderSettings } },
    operation: async (request, deps) => answer(await readSenderSettings(deps, senderDeps(), request.tenantId)),
  }),
  defineRoute({
    method: 'PUT',
    path: '/settings/sender/domain',
    operationId: 'registerSenderDomain',
    tag: 'Settings',
    auth: 'tenant',
    summary: 'Register the business’s own sending domain and From address; the answer lists the DKIM records to publish',
    body: SenderDomainInput,
    ifMatch: 'required',
    responses: {
      200: { description: 'Registered (status `pending` until SES sees the DKIM records); messages keep the platform address until `verified`', schema: SenderSettings },
      400: error('Invalid domain or local part'),
      409: error('The domain is registered by another business'),
      412: error('If-Match names another version of the sender settings'),
      428: error('If-Match is required'),
    },
    operation: async (request, deps) => answer(await registerSenderDomain(deps, senderDeps(), request.tenantId, request.body, request.ifMatch)),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/settings/sender/domain',
    operationId: 'deleteSenderDomain',
    tag: 'Settings',
    auth: 'tenant',
    summary: 'Stop sending from the own domain: back to the platform address, and the domain’s SES identity is deleted',
    ifMatch: 'required',
    responses: {
      200: { description: 'The sender settings, at the platform address', schema: SenderSettings },
      404: error('No domain is registered'),
      412: error('If-Match names another version of the sender settings'),
      428: error('If-Match is required'),
    },
    operation: async (request, deps) => answer(await removeSenderDomain(deps, senderDeps(), request.tenantId, request.ifMatch)),
  }),
];

export const routes = [
  ...singletonRoutes({
    path: '/settings',
    tag: 'Settings',
    name: 'business settings',
    kind: settingsKind,
    id: settingsId,
    input: SettingsInput,
    output: Settings.meta({ id: 'Settings' }),
    defaults: defaultSettings,
    claims: settingsClaims,
    // The saved settings stand even when SES does not answer: the next save, or a domain registration, creates the tenant.
    afterSave: async (tenantId, deps) => {
      try {
        await ensureSenderTenant(deps, senderDeps(), tenantId);
      } catch (failure) {
        logger.warn('the business’s SES tenant could not be created; its email goes without one meanwhile', { tenantId, error: (failure as Error).message });
      }
    },
  }),
  ...senderRoutes,
  // The plan is the operator's, the usage the business's: both read with the settings.
  ...planRoutes,
];

/** What the area's function uses besides the table: the stack grants exactly these, and the handler wires them. */
export const uses = ['ses-tenants', 'business-claims'] as const satisfies readonly AreaResource[];

export const handler = httpHandler(routes, apiDeps());
