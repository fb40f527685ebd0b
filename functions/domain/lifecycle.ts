import { invalidTransition } from '#domain/errors.ts';

/** For each status, the statuses it may move to. A status with no successors is final. */
export type Lifecycle<S extends string> = Readonly<Record<S, readonly S[]>>;

export function assertTransition<S extends string>(kind: string, lifecycle: Lifecycle<S>, from: S, to: S): void {
  const allowed = lifecycle[from];
  if (!allowed.includes(to)) throw invalidTransition(kind, from, to, allowed);
}
