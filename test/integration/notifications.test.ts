import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationKind, type Notification } from '#domain/notifications.ts';
import { startApi, type LocalApi } from './local-stack.ts';
import { apiClient, putRecords, sample, type Request } from './api-client.ts';

let api: LocalApi;
let business: Request;
let other: Request;
/** Oldest first: made one minute apart. */
let made: Notification[];

beforeAll(async () => {
  api = await startApi();
  const tenant = `notifications-${Date.now()}`;
  business = apiClient(api, tenant);
  other = apiClient(api, `notifications-other-${Date.now()}`);
  made = Array.from({ length: 5 }, (_, i) => sample.notification('C1', `2026-04-01T08:0${i}:00.000Z`));
  // Stored out of order, so the list order comes from their time and not from when they were written.
  await putRecords(api, tenant, notificationKind, [made[2]!, made[0]!, made[4]!, made[1]!, made[3]!]);
});
afterAll(() => api?.close());

const ids = (response: { body: { items: { id: string }[] } }) => response.body.items.map((item) => item.id);
const newestFirst = () => [...made].reverse().map((notification) => notification.id);
const readPath = (notification: Notification) => `/notifications/${notification.id}/read`;

async function allPages(query: string): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await business('GET', `/notifications?limit=2${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(2);
    seen.push(...ids(page));
    cursor = page.body.nextCursor;
  } while (cursor);
  return seen;
}

describe('the notifications list', () => {
  it('lists newest first', async () => {
    const list = await business('GET', '/notifications');
    expect(list.status).toBe(200);
    expect(ids(list)).toEqual(newestFirst());
    expect(list.body.items[0]).toEqual(made[4]);
    expect(list.body.nextCursor).toBeNull();
  });

  it('pages with limit and cursor, in the same order, each notification once', async () => {
    expect(await allPages('')).toEqual(newestFirst());
  });

  it('refuses a cursor that is not this list’s, and another tenant’s use of it', async () => {
    const first = await business('GET', '/notifications?limit=1');
    const cursor = encodeURIComponent(first.body.nextCursor);
    expect((await other('GET', `/notifications?cursor=${cursor}`)).status).toBe(400);
    expect((await business('GET', `/bookings?cursor=${cursor}`)).status).toBe(400);
    expect((await business('GET', '/notifications?cursor=garbage')).status).toBe(400);
  });

  it('gets one with its version as ETag', async () => {
    const one = await business('GET', `/notifications/${made[1]!.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(made[1]);
    expect(one.headers.get('etag')).toBe('"1"');
  });
});

describe('marking read', () => {
  it('marks it read once; again answers it unchanged', async () => {
    const marked = await business('POST', readPath(made[3]!));
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({ id: made[3]!.id, read: true, readAt: expect.any(String), version: 2 });
    expect(marked.headers.get('etag')).toBe('"2"');

    const again = await business('POST', readPath(made[3]!));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(marked.body);
  });

  it('refuses a stale If-Match with 412 and leaves it unread; the current one goes through', async () => {
    const stale = await business('POST', readPath(made[0]!), undefined, { 'if-match': '"7"' });
    expect(stale.status).toBe(412);
    expect(stale.body.error.details.currentVersion).toBe(1);
    expect((await business('GET', `/notifications/${made[0]!.id}`)).body.read).toBe(false);
    expect((await business('POST', readPath(made[0]!), undefined, { 'if-match': '"1"' })).body.read).toBe(true);
  });

  it('filters by read, still newest first and paged', async () => {
    expect(ids(await business('GET', '/notifications?read=true'))).toEqual([made[3]!.id, made[0]!.id]);
    expect(await allPages('&read=false')).toEqual([made[4]!.id, made[2]!.id, made[1]!.id]);
    expect((await business('GET', '/notifications?read=yes')).status).toBe(400);
  });
});

describe('another tenant', () => {
  it('sees none of them and cannot mark them read', async () => {
    expect(ids(await other('GET', '/notifications'))).toEqual([]);
    expect((await other('GET', `/notifications/${made[2]!.id}`)).status).toBe(404);
    const mark = await other('POST', readPath(made[2]!));
    expect(mark.status).toBe(404);
    expect(mark.body.error.code).toBe('not_found');
    expect((await business('GET', `/notifications/${made[2]!.id}`)).body.read).toBe(false);
  });
});

describe('clients cannot write notifications', () => {
  it.each([
    ['POST', '/notifications'],
    ['PATCH', '/notifications/x'],
    ['DELETE', '/notifications/x'],
  ])('%s %s is not a route', async (method, path) => {
    expect([404, 405]).toContain((await business(method, path, method === 'DELETE' ? undefined : { read: true })).status);
  });
});
