import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localSenderIdentities } from '#local/adapters/local-sender-identities.ts';

const dir = mkdtempSync(join(tmpdir(), 'ses-identities-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tags = { stack: 'local', tenantId: 'acme' };

describe('the local stand-in for SES identities and tenants', () => {
  it('registers a domain as pending with three DKIM CNAMEs, and verifies it on the first status read', async () => {
    const ses = localSenderIdentities();
    await ses.ensureTenant('local-t', tags);
    const registered = await ses.registerDomain('local-t', 'salon.example', tags);
    expect(registered.status).toBe('pending');
    expect(registered.dkimRecords).toHaveLength(3);
    expect(registered.dkimRecords.every((record) => record.type === 'CNAME' && record.name.endsWith('._domainkey.salon.example'))).toBe(true);
    expect((await ses.domainState('salon.example')).status).toBe('verified');
    expect(await ses.tenantState('local-t')).toEqual({ sendingStatus: 'ENABLED' });
  });

  it('fails a domain under .invalid, and a removed one', async () => {
    const ses = localSenderIdentities();
    await ses.registerDomain('local-t', 'broken.invalid', tags);
    expect(await ses.domainState('broken.invalid')).toMatchObject({ status: 'failed', reason: expect.stringContaining('.invalid') });
    await ses.removeDomain('local-t', 'broken.invalid');
    expect((await ses.domainState('broken.invalid')).status).toBe('failed');
  });

  it('refuses a domain another business registered, as SES\'s tags would', async () => {
    const ses = localSenderIdentities();
    await ses.registerDomain('local-a', 'taken.example', tags);
    await expect(ses.registerDomain('local-b', 'taken.example', { stack: 'local', tenantId: 'other' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('keeps its state in the file across instances (a restart of npm start)', async () => {
    const file = join(dir, 'ses-identities.json');
    await localSenderIdentities(file).registerDomain('local-t', 'kept.example', tags);
    expect((await localSenderIdentities(file).domainState('kept.example')).status).toBe('verified');
  });
});
