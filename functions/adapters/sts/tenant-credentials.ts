import { createHash } from 'node:crypto';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { LRUCache } from 'lru-cache';

/**
 * Credentials scoped to one tenant: an AssumeRole of the API area's tenant-data role with the
 * session tag `tenantId=<tenant>`, which that role's policy turns into `dynamodb:LeadingKeys` on the
 * tenant's key prefixes (lib/tenant-data-role.ts). Cached per tenant per container and refreshed a
 * margin before they expire; concurrent first requests of a tenant share one AssumeRole; a failure
 * is not cached, so the next request tries again.
 */

/** The session tag the tenant-data role's policy reads as `aws:PrincipalTag/tenantId`. */
export const TENANT_TAG = 'tenantId';

export interface ScopedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

export type TenantCredentials = (tenantId: string) => Promise<ScopedCredentials>;

export interface TenantCredentialsOptions {
  readonly sts: STSClient;
  /** The role to assume; read at the first AssumeRole, so a function that never acts for a tenant needs none. */
  readonly roleArn: () => string;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default 900, the shortest STS allows: a leaked session is of use for at most 15 minutes. */
  readonly durationSeconds?: number;
  /**
   * How long before expiry a session is replaced. The SDK asks its credential provider again from
   * 5 minutes before expiry, so the same margin makes each of its asks fetch a fresh session once.
   * @default 300
   */
  readonly refreshMarginSeconds?: number;
  /** Tenants whose sessions a container keeps. @default 500 */
  readonly maxTenants?: number;
}

/**
 * What a session tag value may hold (IAM's pattern, 256 at most). It leaves out `#`, so a tenant id
 * can never reach into another tenant's `T#<t>#…` keys, and the wildcards `*` and `?`.
 */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;
const SESSION_NAME = /^[\w+=,.@-]{1,62}$/;

/**
 * The session name CloudTrail shows for a tenant's session: `t-<tenant id>` when it fits the
 * pattern and 64 characters, else `h-` and a hash of it. Deterministic, so one tenant is one name.
 */
export function tenantSessionName(tenantId: string): string {
  return SESSION_NAME.test(tenantId) ? `t-${tenantId}` : `h-${createHash('sha256').update(tenantId).digest('hex').slice(0, 40)}`;
}

interface Entry {
  readonly credentials: Promise<ScopedCredentials>;
  /** When the session is to be replaced; unknown while AssumeRole is in flight. */
  refreshAt?: number;
}

export function tenantCredentials(options: TenantCredentialsOptions): TenantCredentials {
  const now = options.now ?? Date.now;
  const durationSeconds = options.durationSeconds ?? 900;
  const marginMs = (options.refreshMarginSeconds ?? 300) * 1000;
  const sessions = new LRUCache<string, Entry>({ max: options.maxTenants ?? 500 });

  async function assume(tenantId: string): Promise<ScopedCredentials> {
    const { Credentials: issued } = await options.sts.send(
      new AssumeRoleCommand({
        RoleArn: options.roleArn(),
        RoleSessionName: tenantSessionName(tenantId),
        DurationSeconds: durationSeconds,
        Tags: [{ Key: TENANT_TAG, Value: tenantId }],
      }),
    );
    if (!issued?.AccessKeyId || !issued.SecretAccessKey || !issued.SessionToken || !issued.Expiration) throw new Error(`AssumeRole for tenant ${tenantId} returned no credentials`);
    return { accessKeyId: issued.AccessKeyId, secretAccessKey: issued.SecretAccessKey, sessionToken: issued.SessionToken, expiration: issued.Expiration };
  }

  return (tenantId) => {
    if (!TAG_VALUE.test(tenantId)) return Promise.reject(new Error(`Tenant id ${JSON.stringify(tenantId)} cannot be a session tag value`));
    const cached = sessions.get(tenantId);
    if (cached && (cached.refreshAt === undefined || now() < cached.refreshAt)) return cached.credentials;
    const entry: Entry = { credentials: assume(tenantId) };
    sessions.set(tenantId, entry);
    entry.credentials.then(
      (credentials) => {
        entry.refreshAt = credentials.expiration.getTime() - marginMs;
      },
      () => {
        if (sessions.peek(tenantId) === entry) sessions.delete(tenantId);
      },
    );
    return entry.credentials;
  };
}
