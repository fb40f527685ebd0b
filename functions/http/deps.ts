import type { RecordStore } from '#domain/record-store.ts';
import type { MessageLog } from '#domain/messages/ports.ts';

/** What operations need from the outside world; tests pass their own. */
export interface AppDeps {
  readonly store: RecordStore;
  readonly messages: MessageLog;
  readonly now: () => Date;
  readonly newId: () => string;
}
