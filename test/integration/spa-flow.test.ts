import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAnswer, failOnViolations } from '../contract/response-check.ts';
import { spaFlow } from '../contract/spa-flow.ts';
import { startApi, type LocalApi } from './local-stack.ts';

let api: LocalApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api?.close());
afterAll(failOnViolations);

/** fetch, with every answer checked against the OpenAPI document like apiClient's. */
const checkedFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const response = await fetch(request);
  const text = await response.clone().text();
  const url = new URL(request.url);
  checkAnswer({ method: request.method, path: `${url.pathname}${url.search}`, status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined });
  return response;
};

describe('a typed client generated from the OpenAPI document (openapi-typescript + openapi-fetch)', () => {
  it('creates, reads with ETag, patches with If-Match, is refused with typed 412 and 400 details, cancels and pages with the cursor', async () => {
    const result = await spaFlow(api.baseUrl, await api.tokenFor(`spa-${Date.now()}`), checkedFetch);
    expect(result.readEtag).toBe(`"${result.booking.version}"`);
    expect(result.patched).toMatchObject({ service: 'Tinte', version: result.booking.version + 1 });
    expect(result.staleRefused).toEqual({ status: 412, currentVersion: result.patched.version });
    expect(result.invalidRefused).toEqual({ status: 400, issues: [{ path: 'end', message: 'end must be after start' }] });
    expect(result.cancelled).toMatchObject({ status: 'cancelled', cancelledBy: 'client', cancellationReason: 'Viaje' });
    // One per page; a page after the last may come back empty, as a DynamoDB query can end.
    expect(result.pages.every((page) => page.length <= 1)).toBe(true);
    expect(result.pages.flat()).toHaveLength(2);
    expect(result.pages.flat()).toContain(result.booking.id);
  });
});
