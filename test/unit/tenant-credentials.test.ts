import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { tenantCredentials, tenantSessionName, type TenantCredentialsOptions } from '#adapters/sts/tenant-credentials.ts';

const roleArn = 'arn:aws:iam::123456789012:role/settings-tenant-data';
const sts = mockClient(STSClient);
const start = Date.parse('2026-12-02T10:00:00Z');
let clock = start;
let issued = 0;

/** STS answers each AssumeRole with new keys valid `durationSeconds` from the clock's now. */
function answerWithNewKeys() {
  sts.on(AssumeRoleCommand).callsFake((input: { DurationSeconds: number }) => {
    issued += 1;
    return { Credentials: { AccessKeyId: `ASIA${issued}`, SecretAccessKey: 'secret', SessionToken: `token-${issued}`, Expiration: new Date(clock + input.DurationSeconds * 1000) } };
  });
}

const provider = (options: Partial<TenantCredentialsOptions> = {}) => tenantCredentials({ sts: new STSClient({}), roleArn: () => roleArn, now: () => clock, ...options });
const assumed = () => sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input);

beforeEach(() => {
  sts.reset();
  clock = start;
  issued = 0;
  answerWithNewKeys();
});

describe('tenant credentials', () => {
  it('assume the role with the tenant as session tag, a name derived from it, for 15 minutes', async () => {
    const credentials = await provider()('acme');
    expect(credentials).toEqual({ accessKeyId: 'ASIA1', secretAccessKey: 'secret', sessionToken: 'token-1', expiration: new Date(start + 900_000) });
    expect(assumed()).toEqual([{ RoleArn: roleArn, RoleSessionName: 't-acme', DurationSeconds: 900, Tags: [{ Key: 'tenantId', Value: 'acme' }] }]);
  });

  it('are cached per tenant: a second request of the tenant makes no AssumeRole, another tenant does', async () => {
    const credentialsFor = provider();
    const first = await credentialsFor('acme');
    clock += 9 * 60_000;
    expect(await credentialsFor('acme')).toBe(first);
    expect((await credentialsFor('other')).accessKeyId).toBe('ASIA2');
    expect(assumed().map((input) => input.Tags)).toEqual([[{ Key: 'tenantId', Value: 'acme' }], [{ Key: 'tenantId', Value: 'other' }]]);
  });

  it('are replaced once within the refresh margin of their expiry', async () => {
    const credentialsFor = provider();
    await credentialsFor('acme');
    clock = start + 900_000 - 300_000; // 5 minutes before expiry
    expect((await credentialsFor('acme')).accessKeyId).toBe('ASIA2');
    expect((await credentialsFor('acme')).accessKeyId).toBe('ASIA2');
    expect(assumed()).toHaveLength(2);
  });

  it('make one AssumeRole for concurrent first requests of a tenant', async () => {
    const credentialsFor = provider();
    const all = await Promise.all([credentialsFor('acme'), credentialsFor('acme'), credentialsFor('acme')]);
    expect(new Set(all.map((c) => c.accessKeyId))).toEqual(new Set(['ASIA1']));
    expect(assumed()).toHaveLength(1);
  });

  it('keep at most maxTenants sessions, forgetting the least recently used', async () => {
    const credentialsFor = provider({ maxTenants: 2 });
    await credentialsFor('a');
    await credentialsFor('b');
    await credentialsFor('a'); // a is now the most recently used
    await credentialsFor('c'); // evicts b
    await credentialsFor('a');
    await credentialsFor('b');
    expect(assumed().map((input) => input.RoleSessionName)).toEqual(['t-a', 't-b', 't-c', 't-b']);
  });

  it('do not cache a failure: the next request assumes the role again', async () => {
    sts.on(AssumeRoleCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const credentialsFor = provider();
    await expect(credentialsFor('acme')).rejects.toThrow('Rate exceeded');
    answerWithNewKeys();
    expect((await credentialsFor('acme')).sessionToken).toBe('token-1');
    expect(assumed()).toHaveLength(2);
  });

  it('refuse a tenant id that cannot be a session tag value, without calling STS', async () => {
    await expect(provider()('a#b')).rejects.toThrow('cannot be a session tag value');
    expect(assumed()).toHaveLength(0);
  });

  it('read the role only when a tenant first needs it', async () => {
    let asked = 0;
    const credentialsFor = provider({ roleArn: () => (asked++, roleArn) });
    expect(asked).toBe(0);
    await credentialsFor('acme');
    expect(asked).toBe(1);
  });
});

describe('tenantSessionName', () => {
  it('is the tenant id when it fits a session name, else a hash of it, the same every time', () => {
    expect(tenantSessionName('acme_1-x')).toBe('t-acme_1-x');
    const long = 'x'.repeat(64);
    expect(tenantSessionName(long)).toMatch(/^h-[0-9a-f]{40}$/);
    expect(tenantSessionName(long)).toBe(tenantSessionName(long));
    expect(tenantSessionName(long)).not.toBe(tenantSessionName('y'.repeat(64)));
  });
});
