import { Settings, SettingsInput, defaultSettings, settingsClaims, settingsId, settingsKind } from '#domain/settings.ts';
import { httpHandler } from '#http/http-handler.ts';
import { singletonRoutes } from '#http/singleton-routes.ts';
import { appDeps } from '#wiring';
import { planRoutes } from '#api/plans.ts';

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
  }),
  // The plan is the operator's, the usage the business's: both read with the settings.
  ...planRoutes,
];

export const handler = httpHandler(routes, appDeps);
