import {
  IdempotencyKeyHeld,
  idempotencyClaim,
  isLive,
  replayedAnswer,
  type IdempotencyClaim,
  type IdempotencyRecord,
  type QueuedDelivery,
} from '#domain/idempotency.ts';
import type { AppDeps } from '#http/deps.ts';
import { routeKey, type AnyRoute, type RouteRequest, type RouteResult } from '#http/route.ts';

/**
 * The one way every creating route honours `Idempotency-Key`: the remembered answer for a repeat,
 * 422 for the key on another request, and otherwise the operation, which writes the key with its
 * own write (`remembering`) so that two requests with one key cannot both have their effect.
 */
export async function idempotently(route: AnyRoute, request: RouteRequest<unknown, unknown, unknown>, key: string, deps: AppDeps): Promise<RouteResult> {
  const claim = idempotencyClaim(routeKey(route), key, request, deps.now());
  // Read first: a repeat must get the first answer even where running the operation again would now fail (a limit reached, a client archived).
  const stored = await deps.store.recall(request.tenantId, claim.operation, claim.key);
  if (stored && isLive(stored, deps.now())) return replay(stored, claim, deps);
  try {
    return await route.operation({ ...request, idempotency: claim }, deps);
  } catch (error) {
    // A request with the same key got its write in first.
    if (error instanceof IdempotencyKeyHeld) return replay(error.stored, claim, deps);
    throw error;
  }
}

async function replay(stored: IdempotencyRecord, claim: IdempotencyClaim, deps: AppDeps): Promise<RouteResult> {
  const answer = replayedAnswer(stored, claim);
  if (stored.queued?.length) await deps.queue.enqueue(stored.queued);
  return answer;
}

/** The write option that remembers the request's key with its answer, when it carried a key. */
export function remembering(
  request: Pick<RouteRequest<unknown, unknown, unknown>, 'idempotency'>,
  answer: RouteResult,
  queued?: readonly QueuedDelivery[],
): { remember?: IdempotencyRecord } {
  return request.idempotency ? { remember: { ...request.idempotency, answer, ...(queued ? { queued } : {}) } } : {};
}
