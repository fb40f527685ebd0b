import type { RecordStore } from '#domain/record-store.ts';

/** What operations need from the outside world; tests pass their own. */
export interface AppDeps {
  readonly store: RecordStore;
  readonly now: () => Date;
  readonly newId: () => string;
}
