/**
 * The Lambda `Context` the local stand-ins (API server, stream poller, SQS event source) pass to the
 * handlers they invoke, shaped like the one the Node.js runtime builds.
 */
import type { Context } from 'aws-lambda';

/** The account id local mode pretends to run in (ARNs, API Gateway request context). */
export const LOCAL_ACCOUNT_ID = '000000000000';

export interface LambdaContextOptions {
  /** e.g. `client-messages-local-evaluator` */
  readonly functionName: string;
  readonly requestId: string;
  readonly region: string;
  /** The function's timeout: `getRemainingTimeInMillis()` counts down from it. */
  readonly timeoutMs: number;
}

export function lambdaContext({ functionName, requestId, region, timeoutMs }: LambdaContextOptions): Context {
  const deadline = Date.now() + timeoutMs;
  const unsupported = (): never => {
    throw new Error('Callback-style Lambda context methods are not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${requestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/**
 * Runs a handler with a deadline, like Lambda's function timeout: resolves with its result, rejects
 * with its error or with a timeout error. A handler that times out keeps running in the background
 * (unlike Lambda, which freezes it); its late result is ignored.
 */
export async function invokeWithTimeout<T>(invoke: () => Promise<T>, timeoutMs: number, functionName: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${functionName} timed out after ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([Promise.resolve().then(invoke), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
