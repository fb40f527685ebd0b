import { clientFieldKind, type ClientField } from '#domain/client-fields.ts';
import type { AppDeps } from '#http/deps.ts';

/** Few enough that all definitions come in one read. */
export const maxClientFields = 100;

export async function clientFieldDefinitions(deps: Pick<AppDeps, 'store'>, tenantId: string): Promise<ClientField[]> {
  const page = await deps.store.list(tenantId, clientFieldKind, { order: { by: 'created' }, limit: maxClientFields });
  return page.items;
}
