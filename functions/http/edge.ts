import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError } from '#domain/errors.ts';

/**
 * The public routes are served through CloudFront and AWS WAF (lib/public-edge.ts): the edge limits
 * each source address and each business before a request reaches API Gateway, whose public route
 * throttle is shared by every business. CloudFront adds `originVerifyHeader` with a secret the
 * deployed functions know (EDGE_ORIGIN_SECRET), so a request sent to the execute-api URL directly,
 * around the edge, is refused. Behind CloudFront, API Gateway's source address is CloudFront's, so
 * the sender is the address CloudFront saw (`CloudFront-Viewer-Address`), trusted only with the secret.
 */
export const originVerifyHeader = 'x-origin-verify';
export const viewerAddressHeader = 'cloudfront-viewer-address';

/** Compared in constant time, as digests of equal length: the header's value tells nothing about the secret. */
const sameSecret = (given: string, secret: string): boolean =>
  timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(secret).digest());

/** `203.0.113.7:46532` or `2001:db8::1:46532` (CloudFront's format): the address without its port. */
export function viewerAddress(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const colon = value.lastIndexOf(':');
  const address = colon > 0 ? value.slice(0, colon) : '';
  return address === '' ? undefined : address.replace(/^\[(.*)\]$/, '$1');
}

/**
 * The sender's address of a public request. With no edge secret (local mode, where there is no
 * edge) it is the address the request came from; with one, a request that did not come through the
 * edge is refused.
 */
export function publicSender(headers: Readonly<Record<string, string | undefined>>, sourceIp: string, edgeSecret: string | undefined): string {
  if (edgeSecret === undefined) return sourceIp;
  const given = headers[originVerifyHeader];
  if (given === undefined || !sameSecret(given, edgeSecret)) throw new DomainError('not_through_edge', 'Public routes are served only through the API’s public address');
  return viewerAddress(headers[viewerAddressHeader]) ?? sourceIp;
}
