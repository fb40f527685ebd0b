import { describe, expect, it } from 'vitest';
import { DomainError, versionConflict } from '#domain/errors.ts';
import type { RecordStore, StoredRecord } from '#domain/record-store.ts';
import { defaultSettings } from '#domain/settings.ts';
import type { AppDeps } from '#http/deps.ts';
import { receiveInbound } from '#handlers/public-intake.ts';

/** The intake's retry when another submission changes the same card first, with a store that keeps losing. */

const at = '2026-11-23T10:00:00.000Z';
const card: StoredRecord = { id: 'C-SECRET', version: 3, createdAt: at, updatedAt: at, firstName: 'Ana', email: 'ana@example.com', status: 'active', consent: { email: true, sms: false }, customFields: {} };

function depsWith(put: RecordStore['put']): { deps: AppDeps; writes: () => number } {
  let writes = 0;
  const store = {
    claimOwner: async () => ({ tenantId: 'acme', kind: 'client', id: card.id }),
    get: async () => card,
    put: async (...args: Parameters<RecordStore['put']>) => {
      writes += 1;
      return put(...args);
    },
  } as unknown as RecordStore;
  let ids = 0;
  return { deps: { store, now: () => new Date(at), newId: () => `ID${++ids}` } as unknown as AppDeps, writes: () => writes };
}

const submission = { form: 'message' as const, submitter: { firstName: 'Ana', email: 'ana@example.com' }, text: 'hola', settings: defaultSettings };

describe('receiveInbound', () => {
  it('matches again once when another submission changed the card first', async () => {
    let calls = 0;
    const { deps, writes } = depsWith(async () => {
      if (++calls === 1) throw versionConflict('client', card.id, 4);
    });
    const received = await receiveInbound(deps, 'acme', submission);
    expect(received).toMatchObject({ clientId: card.id, newClient: false });
    expect(writes()).toBe(2);
  });

  it('lost twice, it asks the caller to try again without naming the card', async () => {
    const { deps, writes } = depsWith(async () => {
      throw versionConflict('client', card.id, 4);
    });
    const error = await receiveInbound(deps, 'acme', submission).then(
      () => undefined,
      (caught: unknown) => caught as DomainError,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'transaction_conflict' });
    expect(JSON.stringify({ message: error?.message, details: error?.details })).not.toContain(card.id);
    expect(writes()).toBe(2);
  });

  it('does not retry what another submission cannot cause', async () => {
    const { deps, writes } = depsWith(async () => {
      throw new Error('DynamoDB is down');
    });
    await expect(receiveInbound(deps, 'acme', submission)).rejects.toThrow('DynamoDB is down');
    expect(writes()).toBe(1);
  });
});
