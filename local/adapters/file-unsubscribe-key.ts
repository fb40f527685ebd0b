import type { UnsubscribeKey } from '#domain/unsubscribe-token.ts';
import { loadOrCreateSecret } from '#local/token-key.ts';

/**
 * The unsubscribe links' key in local mode: 256 random bits kept in a file (`.local/unsubscribe-key`
 * by default), made on first use as the local JWT key is, so links in emails of an earlier run still work.
 */
export function fileUnsubscribeKey(path: string): UnsubscribeKey {
  let key: Promise<Uint8Array> | undefined;
  return () => (key ??= loadOrCreateSecret(path));
}
