import { describe, expect, it } from 'vitest';
import { DomainError, versionConflict } from '#domain/errors.ts';
import type { RateDecision, RateLimiter } from '#domain/rate-limit.ts';
import type { RecordStore, StoredRecord } from '#domain/record-store.ts';
import { defaultSettings } from '#domain/settings.ts';
import type { AppDeps } from '#http/deps.ts';
import { publicTenant, receiveInbound } from '#services/receive-inbound.ts';

/**
 * The rate limits in front of every public route, and the intake's retry when another submission
 * changes the same card first, with a store that keeps losing.
 */

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

describe('publicTenant', () => {
  const senderKey = 'public#acme#sender#203.0.113.7';
  const request = { params: { slug: 'salon-lucia' }, sourceIp: '203.0.113.7' };

  /** Records what reaches the store and the limiter, in order; the slug lookup answers a turn of the event loop later. */
  function tracedDeps(options: { owner?: boolean; refuse?: (key: string) => boolean } = {}) {
    const trace: string[] = [];
    const store = {
      claimOwner: (_tenantId: string, claim: { value: string }) => {
        trace.push(`look up ${claim.value}`);
        return new Promise((resolve) =>
          setImmediate(() => {
            trace.push('lookup answered');
            resolve(options.owner === false ? undefined : { tenantId: 'acme', kind: 'settings', id: 'current' });
          }),
        );
      },
      get: async (tenantId: string, kind: string) => {
        trace.push(`read ${kind} of ${tenantId}`);
        return undefined;
      },
    } as unknown as RecordStore;
    const rateLimiter: RateLimiter = {
      take: async (key): Promise<RateDecision> => {
        trace.push(`take ${key}`);
        return options.refuse?.(key) ? { allowed: false, retryAfterSeconds: 42 } : { allowed: true };
      },
    };
    return { deps: { store, rateLimiter, now: () => new Date(at) } as unknown as AppDeps, trace };
  }

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (caught: unknown) => caught as DomainError,
    );

  it('looks the slug up first, then takes the sender counter beside the settings, then the business counter', async () => {
    const { deps, trace } = tracedDeps();
    expect(await publicTenant(deps, request)).toEqual({ tenantId: 'acme', settings: defaultSettings });
    expect(trace).toEqual(['look up salon-lucia', 'lookup answered', `take ${senderKey}`, 'read settings of acme', 'take public#acme']);
  });

  it('refuses a sender over its limit without taking the business counter, naming the sender', async () => {
    const { deps, trace } = tracedDeps({ refuse: (key) => key === senderKey });
    const error = await refusal(publicTenant(deps, request));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'rate_limited',
      message: 'Too many requests from your address to this business; try again in 42 seconds',
      details: { retryAfterSeconds: 42 },
    });
    expect(trace).toEqual(['look up salon-lucia', 'lookup answered', `take ${senderKey}`, 'read settings of acme']);
  });

  it('refuses a business over its limit, naming the business', async () => {
    const { deps } = tracedDeps({ refuse: (key) => key === 'public#acme' });
    expect(await refusal(publicTenant(deps, request))).toMatchObject({
      code: 'rate_limited',
      message: 'This business is receiving too many requests; try again in 42 seconds',
      details: { retryAfterSeconds: 42 },
    });
  });

  it('answers 404 for an unknown slug without counting anything', async () => {
    const { deps, trace } = tracedDeps({ owner: false, refuse: () => true });
    expect(await refusal(publicTenant(deps, request))).toMatchObject({ code: 'not_found' });
    expect(trace).toEqual(['look up salon-lucia', 'lookup answered']);
  });

  it('counts an IPv6 sender by its /64 network', async () => {
    const { deps, trace } = tracedDeps();
    await publicTenant(deps, { ...request, sourceIp: '2001:DB8:1:2:aaaa::1' });
    expect(trace).toContain('take public#acme#sender#2001:db8:1:2::/64');
  });
});
