import { defaultSettings, settingsId, settingsKind, type Settings } from '#domain/settings.ts';
import type { AppDeps } from '#http/deps.ts';

/** The tenant's settings, or the defaults when it never saved any. */
export async function tenantSettings(deps: AppDeps, tenantId: string): Promise<Settings> {
  const stored = await deps.store.get(tenantId, settingsKind, settingsId);
  if (!stored) return defaultSettings;
  const { id: _id, createdAt: _createdAt, ...settings } = stored;
  return settings as unknown as Settings;
}
