import { Settings, SettingsInput, defaultSettings, settingsClaims, settingsId, settingsKind } from '#domain/settings.ts';
import { httpHandler } from '#http/http-handler.ts';
import { singletonRoutes } from '#http/singleton-routes.ts';
import { appDeps } from '#wiring';

export const routes = singletonRoutes({
  path: '/settings',
  tag: 'Settings',
  name: 'business settings',
  kind: settingsKind,
  id: settingsId,
  input: SettingsInput,
  output: Settings.meta({ id: 'Settings' }),
  defaults: defaultSettings,
  claims: settingsClaims,
});

export const handler = httpHandler(routes, appDeps);
