import { describe, expect, it } from 'vitest';
import { bindRequestTenant, requestTenant, TenantAlreadyBound, withRequestScope } from '#request-tenant';

describe('the request tenant', () => {
  it('is none until bound, then the bound tenant through the request\'s async work', async () => {
    await withRequestScope(async () => {
      expect(requestTenant()).toBeUndefined();
      bindRequestTenant('acme');
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(await Promise.resolve().then(requestTenant)).toBe('acme');
    });
  });

  it('is bound once: the same tenant again is fine, another is refused and the first stays', () => {
    withRequestScope(() => {
      bindRequestTenant('acme');
      bindRequestTenant('acme');
      expect(() => bindRequestTenant('globex')).toThrow(TenantAlreadyBound);
      expect(requestTenant()).toBe('acme');
    });
  });

  it('is each request\'s own, even for requests in flight side by side', async () => {
    const seen = await Promise.all(
      ['acme', 'globex'].map((tenant) =>
        withRequestScope(async () => {
          bindRequestTenant(tenant);
          await new Promise((resolve) => setTimeout(resolve, 0));
          return requestTenant();
        }),
      ),
    );
    expect(seen).toEqual(['acme', 'globex']);
  });

  it('binds nothing outside a request (stream and queue work acts on the function\'s own role)', () => {
    bindRequestTenant('acme');
    expect(requestTenant()).toBeUndefined();
  });
});
