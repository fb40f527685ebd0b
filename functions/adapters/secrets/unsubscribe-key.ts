import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { UnsubscribeKey } from '#domain/unsubscribe-token.ts';

/**
 * The unsubscribe links' signing key: the secret CDK generated (UNSUBSCRIBE_KEY_SECRET), read once
 * per container, so no message send and no click pays for the call again. A failed read is not
 * kept: the next use asks again.
 */
export function secretsManagerUnsubscribeKey(client: SecretsManagerClient, secretId: string): UnsubscribeKey {
  let key: Promise<Uint8Array> | undefined;
  return () => {
    key ??= client.send(new GetSecretValueCommand({ SecretId: secretId })).then(
      ({ SecretString }) => {
        // At least 32 bytes, as HS256 asks of a key; the stack generates 64 characters.
        if (!SecretString || SecretString.length < 32) throw new Error(`secret ${secretId} holds no usable unsubscribe key`);
        return new TextEncoder().encode(SecretString);
      },
      (error: unknown) => {
        key = undefined;
        throw error;
      },
    );
    return key;
  };
}
