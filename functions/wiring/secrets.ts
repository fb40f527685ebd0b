import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { traced } from '#tracer';
import { secretsManagerUnsubscribeKey } from '#adapters/secrets/unsubscribe-key.ts';
import type { UnsubscribeKey } from '#domain/unsubscribe-token.ts';
import { once, overrides, required } from '#wiring/core.ts';

/** The unsubscribe links' signing key in Secrets Manager (UNSUBSCRIBE_KEY_SECRET); built on first use. */
const key = /* @__PURE__ */ once((): UnsubscribeKey => overrides().unsubscribeKey?.() ?? secretsManagerUnsubscribeKey(traced(new SecretsManagerClient({})), required('UNSUBSCRIBE_KEY_SECRET')));

export const unsubscribeKey = (): UnsubscribeKey => () => key()();
