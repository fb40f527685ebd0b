import { ulid } from 'ulid';
import { createDocumentClient, dynamoRecordStore } from '#adapters/dynamodb/record-store.ts';
import type { AppDeps } from '#http/deps.ts';

let deps: AppDeps | undefined;

/** The real dependencies, built once per Lambda container (locally, once per process). */
export function appDeps(): AppDeps {
  if (!deps) {
    const tableName = process.env.TABLE_NAME;
    if (!tableName) throw new Error('TABLE_NAME is not set');
    deps = { store: dynamoRecordStore(createDocumentClient(), tableName), now: () => new Date(), newId: ulid };
  }
  return deps;
}
