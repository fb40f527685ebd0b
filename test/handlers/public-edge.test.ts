import { describe, expect, it } from 'vitest';
import { httpHandler } from '#http/http-handler.ts';
import type { AppDeps } from '#http/deps.ts';
import type { AnyRoute } from '#http/route.ts';
import { originVerifyHeader, publicSender, viewerAddress, viewerAddressHeader } from '#http/edge.ts';
import { apiEvent, lambdaContext, parsed } from '../support/api-event.ts';

/** A public route that answers with the sender address it was given. */
const echo: AnyRoute = {
  method: 'POST',
  path: '/public/{slug}/echo',
  summary: 'echo',
  tag: 'test',
  auth: 'public',
  responses: { 200: { description: 'the sender' } },
  operation: async (request) => ({ status: 200, body: { sender: request.sourceIp } }),
};
const handlerWith = (edgeSecret?: string) => httpHandler([echo], () => ({ ...(edgeSecret ? { edgeSecret } : {}) }) as AppDeps);
const call = (edgeSecret: string | undefined, headers: Record<string, string>) =>
  handlerWith(edgeSecret)(apiEvent({ routeKey: 'POST /public/{slug}/echo', pathParameters: { slug: 'salon' }, headers, tenantId: null }), lambdaContext);

describe('the public edge', () => {
  it('refuses a public request that came around the edge, with or without a wrong secret', async () => {
    const attempts: Record<string, string>[] = [{}, { [originVerifyHeader]: 'guess' }, { [originVerifyHeader]: 'edge-secret-but-longer' }];
    for (const headers of attempts) {
      const result = await call('edge-secret', headers);
      expect(result.statusCode).toBe(403);
      expect(parsed(result).error.code).toBe('not_through_edge');
    }
  });

  it('takes the sender from CloudFront’s viewer address only when the request came through the edge', async () => {
    const through = await call('edge-secret', { [originVerifyHeader]: 'edge-secret', [viewerAddressHeader]: '203.0.113.9:51234' });
    expect(parsed(through)).toEqual({ sender: '203.0.113.9' });
    // Without an edge (local mode) the header is whatever the caller wrote: the connection's address counts.
    const local = await call(undefined, { [viewerAddressHeader]: '203.0.113.9:51234' });
    expect(parsed(local)).toEqual({ sender: '127.0.0.1' });
  });

  it('reads IPv4 and IPv6 viewer addresses without their port', () => {
    expect(viewerAddress('198.51.100.7:443')).toBe('198.51.100.7');
    expect(viewerAddress('2001:db8::1:443')).toBe('2001:db8::1');
    expect(viewerAddress('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(viewerAddress('nonsense')).toBeUndefined();
    expect(viewerAddress(undefined)).toBeUndefined();
    expect(publicSender({ [originVerifyHeader]: 's' }, '10.0.0.1', 's')).toBe('10.0.0.1');
  });
});
