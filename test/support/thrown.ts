import type { DomainError } from '#domain/errors.ts';

/** The error a pure function throws, for asserting on its code and details; fails the test if it does not throw. */
export const thrown = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a throw');
};
