import { invalidTransition } from '#domain/errors.ts';

/** For each status, the statuses it may move to. A status with no successors is final. */
export type Lifecycle<S extends string> = Readonly<Record<S, readonly S[]>>;

/**
 * A lifecycle and its statuses from one table, so the list of statuses (for `z.enum`) cannot drift
 * from the moves between them. Statuses come in the table's order.
 */
export function defineLifecycle<S extends string>(lifecycle: { readonly [status in S]: readonly NoInfer<S>[] }): { readonly lifecycle: Lifecycle<S>; readonly statuses: readonly [S, ...S[]] } {
  const [first, ...rest] = Object.keys(lifecycle) as S[];
  if (first === undefined) throw new Error('a lifecycle has at least one status');
  return { lifecycle, statuses: [first, ...rest] };
}

export function assertTransition<S extends string>(kind: string, lifecycle: Lifecycle<S>, from: S, to: S): void {
  const allowed = lifecycle[from];
  if (!allowed.includes(to)) throw invalidTransition(kind, from, to, allowed);
}
