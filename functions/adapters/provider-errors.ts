import { RecipientOptedOut, SendFailure } from '#domain/messages/ports.ts';

/** Errors of a connection that never opened: the request cannot have reached the provider. */
const neverConnected = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * An AWS SDK error as a SendFailure: throttling, 5xx and network errors are worth retrying. Without
 * an answer (a timeout, an abort, a connection lost mid-call) or with a 5xx, the provider may have
 * taken the message, so the failure is ambiguous; a connection that never opened is not.
 */
export function asSendFailure(error: unknown): SendFailure {
  const sdk = error as { name?: string; message?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (sdk.name === 'OptedOutException') return new RecipientOptedOut(`${sdk.name}: ${sdk.message ?? 'the number opted out'}`);
  const status = sdk.$metadata?.httpStatusCode;
  const throttled = status === 429 || /Throttl|TooManyRequests|LimitExceeded/i.test(sdk.name ?? '');
  const retryable = Boolean(sdk.$retryable) || status === undefined || status >= 500 || throttled || /ServiceUnavailable|InternalFailure/i.test(sdk.name ?? '');
  const ambiguous = !throttled && ((status === undefined && !neverConnected.has(sdk.code ?? '')) || (status !== undefined && status >= 500));
  return new SendFailure(`${sdk.name ?? 'Error'}: ${sdk.message ?? String(error)}`, retryable, ambiguous);
}
