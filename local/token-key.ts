/**
 * The local stand-in for Cognito: an HS256 key generated once per checkout and kept in
 * `.local/jwt-secret`, shared by the local server (which verifies) and `npm run token` (which signs).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';

export const LOCAL_ISSUER = 'local';
export const LOCAL_AUDIENCE = 'local';
export const TENANT_CLAIM = 'custom:tenantId';
export const TENANT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const ALGORITHM = 'HS256';

/** Repository root: this file lives in `<root>/local/`. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** `.local/jwt-secret` under the repository, unless LOCAL_JWT_SECRET_FILE names another file. */
export function secretFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env['LOCAL_JWT_SECRET_FILE'] || fileURLToPath(new URL('../.local/jwt-secret', import.meta.url));
}

function decodeSecret(text: string, path: string): Uint8Array {
  const secret = Buffer.from(text.trim(), 'base64url');
  if (secret.length < 32) {
    throw new Error(`${path} does not hold a usable key (expected at least 32 bytes, base64url). Delete it to have a new one generated.`);
  }
  return new Uint8Array(secret);
}

/** Reads the local signing key, creating it (256 random bits, file mode 0600) on first use. */
export async function loadOrCreateSecret(path: string = secretFilePath()): Promise<Uint8Array> {
  try {
    return decodeSecret(await readFile(path, 'utf8'), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(path), { recursive: true });
  try {
    // 'wx': if the server and the token command race on first use, exactly one key wins.
    await writeFile(path, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return decodeSecret(await readFile(path, 'utf8'), path);
}

/** A fresh in-memory key, for tests that must not touch `.local/`. */
export function generateSecret(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

export interface LocalTokenOptions {
  /** Defaults to `local-user-<tenantId>`. */
  readonly sub?: string;
  /** jose time span or epoch seconds; defaults to 12 hours. */
  readonly expiresIn?: string | number;
  /** Extra claims (e.g. to test what a handler does with them). */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** Signs an id token shaped like the Cognito one the deployed API accepts. */
export async function signLocalToken(secret: Uint8Array, tenantId: string, options: LocalTokenOptions = {}): Promise<string> {
  if (!TENANT_ID_PATTERN.test(tenantId)) {
    throw new Error(`Invalid tenant id ${JSON.stringify(tenantId)}: use 1-64 characters from A-Z, a-z, 0-9, _ and -`);
  }
  return new SignJWT({ ...options.claims, [TENANT_CLAIM]: tenantId, token_use: 'id' })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(options.sub ?? `local-user-${tenantId}`)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(secret);
}

export type TokenVerifier = (token: string) => Promise<JWTPayload>;

/**
 * What API Gateway's JWT authorizer checks: signature, algorithm, issuer, audience, expiry and
 * not-before. Rejects (throws) on any failure.
 */
export function createLocalTokenVerifier(secret: Uint8Array): TokenVerifier {
  return async (token) => {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: [ALGORITHM],
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      requiredClaims: ['exp'],
    });
    return payload;
  };
}
