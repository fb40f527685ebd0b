import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type LocalApi } from './local-stack.ts';
import { apiClient, sample, type Request } from './api-client.ts';

let api: LocalApi;
let one: Request;
let two: Request;
const run = Date.now().toString(36);
const slug = (name: string) => `${name}-${run}`;

beforeAll(async () => {
  api = await startApi();
  one = apiClient(api, `slug-one-${run}`);
  two = apiClient(api, `slug-two-${run}`);
});
afterAll(() => api?.close());

async function save(request: Request, body: object) {
  const current = await request('GET', '/settings');
  return request('PUT', '/settings', body, { 'if-match': `"${current.body.version}"` });
}

describe('the public slug in /settings', () => {
  it('is unique across businesses: a taken slug gets 409, a released one is free again', async () => {
    expect((await save(one, { ...sample.settings, slug: slug('salon') })).status).toBe(200);
    const taken = await save(two, { ...sample.settings, slug: slug('salon') });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'duplicate', message: `slug ${slug('salon')} is already taken`, details: { field: 'slug', value: slug('salon') } });
    expect((await two('GET', '/settings')).body.slug).toBeUndefined();

    // Saving again with the same slug keeps it; changing it lets the old one go.
    expect((await save(one, { ...sample.settings, slug: slug('salon'), businessName: 'Salón Lucía 2' })).status).toBe(200);
    expect((await save(one, { ...sample.settings, slug: slug('lucia') })).status).toBe(200);
    expect((await save(two, { ...sample.settings, slug: slug('salon') })).status).toBe(200);
    expect((await save(one, { ...sample.settings, slug: slug('salon') })).status).toBe(409);
  });

  it('is released when dropped, and another business cannot release it', async () => {
    expect((await save(one, { ...sample.settings, slug: slug('atelier') })).status).toBe(200);
    // Business two dropping a slug it never held touches nothing of business one.
    expect((await save(two, { ...sample.settings })).status).toBe(200);
    expect((await save(two, { ...sample.settings, slug: slug('atelier') })).status).toBe(409);
    expect((await save(one, { ...sample.settings })).status).toBe(200);
    expect((await save(two, { ...sample.settings, slug: slug('atelier') })).status).toBe(200);
  });

  it('refuses a slug that is not lowercase words joined by hyphens', async () => {
    for (const bad of ['Salon', 'a', 'salon--lucia', '-salon', 'salón']) {
      const response = await save(one, { ...sample.settings, slug: bad });
      expect(response.status).toBe(400);
      expect(response.body.error.details.issues[0].path).toBe('slug');
    }
  });

  it('replaces the whole document on PUT: a field left out is gone', async () => {
    expect((await save(one, { ...sample.settings, contactEmail: 'owner@example.com' })).body.contactEmail).toBe('owner@example.com');
    const saved = await save(one, { ...sample.settings, contactEmail: undefined });
    expect(saved.status).toBe(200);
    expect(saved.body.contactEmail).toBeUndefined();
    expect((await one('GET', '/settings')).body.contactEmail).toBeUndefined();
  });
});
