/**
 * Helpers for integration tests: the real API handlers (or fixture areas) behind the local API
 * Gateway stand-in, on an ephemeral port, against the DynamoDB Local started by global-setup.ts.
 *
 *   const api = await startApi();
 *   const res = await fetch(`${api.baseUrl}/settings`, { headers: api.authHeaders('acme') });
 *   await api.close();
 */
import { inject } from 'vitest';
import { startLocalServer, type LocalArea, type RequestLogEntry } from '#local/http-server.ts';
import { applyLocalEnv } from '#local/local-env.ts';
import { createLocalTokenVerifier, generateSecret, signLocalToken, type LocalTokenOptions } from '#local/token-key.ts';
import { createLocalDynamoDbClient } from '#local/dynamodb-local.ts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface LocalStackEnv {
  readonly dynamodbEndpoint: string;
  readonly tableName: string;
}

/** The values global-setup.ts provided, also applied to process.env (region, dummy credentials, endpoint, table). */
export function useLocalStackEnv(): LocalStackEnv {
  const dynamodbEndpoint = inject('dynamodbEndpoint');
  const tableName = inject('tableName');
  if (!dynamodbEndpoint || !tableName) {
    throw new Error('DynamoDB Local is not running: add test/integration/global-setup.ts to the globalSetup of this vitest project');
  }
  applyLocalEnv({ dynamodbEndpoint, tableName });
  return { dynamodbEndpoint, tableName };
}

/** A client for the shared DynamoDB Local (destroy it when done). */
export function localDynamoDbClient(): DynamoDBClient {
  return createLocalDynamoDbClient(useLocalStackEnv().dynamodbEndpoint);
}

export interface StartApiOptions {
  /** Defaults to the real catalog (`#handlers/catalog.ts`), imported after the environment is set. */
  readonly areas?: readonly LocalArea[];
  /** Collects the server's request log lines; silent by default. */
  readonly log?: (entry: RequestLogEntry) => void;
  readonly maxBodyBytes?: number;
  readonly handlerTimeoutMs?: number;
}

export interface LocalApi {
  /** e.g. `http://127.0.0.1:53124`, no trailing slash. */
  readonly baseUrl: string;
  readonly env: LocalStackEnv;
  /** A valid token for the tenant, signed with this API's own key (tests never touch .local/). */
  tokenFor(tenantId: string, options?: LocalTokenOptions): Promise<string>;
  /** `{ authorization: 'Bearer …' }` for the tenant. */
  authHeaders(tenantId: string): Promise<Record<string, string>>;
  /** The key the server trusts, to craft special tokens (expired, wrong issuer…). */
  readonly secret: Uint8Array;
  close(): Promise<void>;
}

export async function startApi(options: StartApiOptions = {}): Promise<LocalApi> {
  const env = useLocalStackEnv();
  const areas =
    options.areas ?? (await import('#handlers/catalog.ts')).apiAreas;
  const secret = generateSecret();
  const server = await startLocalServer({
    areas,
    verifyToken: createLocalTokenVerifier(secret),
    log: options.log ?? false,
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.handlerTimeoutMs !== undefined ? { handlerTimeoutMs: options.handlerTimeoutMs } : {}),
    port: 0,
  });
  const tokenFor = (tenantId: string, tokenOptions?: LocalTokenOptions): Promise<string> =>
    signLocalToken(secret, tenantId, tokenOptions);
  return {
    baseUrl: server.url,
    env,
    secret,
    tokenFor,
    authHeaders: async (tenantId) => ({ authorization: `Bearer ${await tokenFor(tenantId)}` }),
    close: () => server.close(),
  };
}
