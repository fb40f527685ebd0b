import { SendFailure } from '#domain/messages/ports.ts';

/** An AWS SDK error as a SendFailure: throttling, 5xx and network errors are worth retrying. */
export function asSendFailure(error: unknown): SendFailure {
  const sdk = error as { name?: string; message?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = sdk.$metadata?.httpStatusCode;
  const retryable =
    Boolean(sdk.$retryable) ||
    status === undefined ||
    status >= 500 ||
    status === 429 ||
    /Throttl|TooManyRequests|LimitExceeded|ServiceUnavailable|InternalFailure/i.test(sdk.name ?? '');
  return new SendFailure(`${sdk.name ?? 'Error'}: ${sdk.message ?? String(error)}`, retryable);
}
