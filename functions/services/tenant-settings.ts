import { defaultSettings, settingsId, settingsKind, type Settings } from '#domain/settings.ts';
import type { AppDeps } from '#http/deps.ts';
import { loadSingleton } from '#http/singleton-routes.ts';

/** The tenant's settings, or the defaults when it never saved any. */
export const tenantSettings = (deps: Pick<AppDeps, 'store'>, tenantId: string): Promise<Settings> =>
  loadSingleton({ kind: settingsKind, id: settingsId, defaults: defaultSettings }, deps, tenantId);
