/**
 * Failures the domain and the store report. Each carries a stable `code`; the HTTP layer maps codes
 * to status codes, so nothing here knows about HTTP.
 */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export class DomainError extends Error {
  readonly code: string;
  readonly details: unknown;
  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export const notFound = (kind: string, id: string): DomainError =>
  new DomainError('not_found', `${kind} ${id} was not found`, { kind, id });

export const invalidInput = (issues: readonly FieldIssue[], message = 'The request is not valid'): DomainError =>
  new DomainError('validation_failed', message, { issues });

/** A page cursor this API did not hand out (or for another list, client or tenant): a 400, whichever layer finds it. */
export const badCursor = (): DomainError => invalidInput([{ path: 'cursor', message: 'is not a cursor returned by this list' }], 'The cursor is not valid');

export const versionConflict = (kind: string, id: string, currentVersion: number): DomainError =>
  new DomainError('version_mismatch', `${kind} ${id} was changed by someone else; it is now at version ${currentVersion}`, {
    kind,
    id,
    currentVersion,
  });

export const invalidTransition = (kind: string, from: string, to: string, allowed: readonly string[]): DomainError =>
  new DomainError(
    'invalid_transition',
    `A ${kind} cannot go from ${from} to ${to}; from ${from} it can go to ${allowed.length ? allowed.join(', ') : 'nothing (final status)'}`,
    { kind, from, to, allowed },
  );

/** A record still referenced by others cannot be deleted; `references` counts them by kind, where known. */
export const inUse = (kind: string, id: string, references?: Readonly<Record<string, number>>): DomainError => {
  const counted = Object.entries(references ?? {}).filter(([, count]) => count > 0);
  const holders = counted.map(([holder, count]) => `${count} ${holder}${count === 1 ? '' : 's'}`).join(' and ');
  return new DomainError(
    'in_use',
    `${kind} ${id} is still used${holders ? ` by ${holders}` : ''}; it cannot be deleted while records reference it`,
    references === undefined ? { kind, id } : { kind, id, references: Object.fromEntries(counted) },
  );
};

/** A write names an archived record (a booking for an archived client). */
export const archivedReference = (kind: string, id: string, field: string): DomainError =>
  new DomainError('archived', `The ${kind} named in ${field} (${id}) is archived and gets nothing new; make it active first`, { kind, id, field });

export const conflict = (message: string, details?: unknown): DomainError => new DomainError('conflict', message, details);
