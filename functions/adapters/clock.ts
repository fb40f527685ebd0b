/**
 * The one clock every time decision reads (API, evaluator, delivery, the local scheduler). Lambda
 * code only ever reads it; local runs and tests may replace it to play a lifecycle without waiting.
 */
let current: () => Date = () => new Date();

export const clock = { now: (): Date => current() };

/** Local runs and tests only: from now on `clock.now()` answers with `now()`. Returns the restore. */
export function useClock(now: () => Date): () => void {
  const previous = current;
  current = now;
  return () => {
    current = previous;
  };
}
