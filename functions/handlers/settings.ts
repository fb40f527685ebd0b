import { versionConflict } from '#domain/errors.ts';
import { newRecord, revise } from '#domain/record.ts';
import { Settings, SettingsInput, settingsId, settingsKind } from '#domain/settings.ts';
import { defineRoute } from '#http/route.ts';
import { httpHandler } from '#http/http-handler.ts';
import { etag } from '#http/request.ts';
import { ErrorResponse } from '#http/record-routes.ts';
import { appDeps } from '#handlers/wiring.ts';
import { tenantSettings } from '#handlers/tenant-settings.ts';

const SettingsBody = Settings.meta({ id: 'Settings' });

export const routes = [
  defineRoute({
    method: 'GET',
    path: '/settings',
    tag: 'Settings',
    auth: 'tenant',
    summary: 'Get the business settings (defaults, at version 0, until first saved)',
    responses: { 200: { description: 'The settings; ETag carries their version', schema: SettingsBody } },
    async operation(request, deps) {
      const settings = await tenantSettings(deps, request.tenantId);
      return { status: 200, body: settings, headers: { etag: etag(settings.version) } };
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/settings',
    tag: 'Settings',
    auth: 'tenant',
    summary: 'Replace the business settings; If-Match: "0" saves them the first time',
    body: SettingsInput,
    ifMatch: 'required',
    responses: {
      200: { description: 'The saved settings', schema: SettingsBody },
      400: { description: 'Invalid settings', schema: ErrorResponse },
      412: { description: 'If-Match names an older version', schema: ErrorResponse },
      428: { description: 'If-Match is required', schema: ErrorResponse },
    },
    async operation(request, deps) {
      const expected = request.ifMatch!;
      const current = await deps.store.get(request.tenantId, settingsKind, settingsId);
      const currentVersion = current?.version ?? 0;
      if (expected !== currentVersion) throw versionConflict(settingsKind, settingsId, currentVersion);
      const next = current ? revise(current, request.body, deps.now()) : newRecord(request.body, settingsId, deps.now());
      await deps.store.put(request.tenantId, settingsKind, next, { expected: current ? current.version : 'absent' });
      const { id: _id, createdAt: _createdAt, ...body } = next;
      return { status: 200, body, headers: { etag: etag(next.version) } };
    },
  }),
];

export const handler = httpHandler(routes, appDeps);
