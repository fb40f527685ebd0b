import { clientClaims, clientKind } from '#domain/clients.ts';
import { DomainError } from '#domain/errors.ts';
import { contactOf, formFieldValues, intakeWrite, type Contact, type Submitter } from '#domain/intake.ts';
import type { PublicForm } from '#domain/client-fields.ts';
import type { CompanionWrite, RecordRef, StoredRecord } from '#domain/record-store.ts';
import { defaultPublicRateLimit, type RateLimit } from '#domain/rate-limit.ts';
import { slugClaim, type Settings } from '#domain/settings.ts';
import type { AppDeps } from '#http/deps.ts';
import { clientFieldDefinitions } from '#handlers/client-field-definitions.ts';
import { tenantSettings } from '#handlers/tenant-settings.ts';

/**
 * What every public widget does with a submission, whichever form it came from: find the business
 * by its slug (within its rate limit), then match or create the client and record what they sent.
 */

export type { PublicForm } from '#domain/client-fields.ts';
export type { Submitter } from '#domain/intake.ts';

/** Read at each request, so the stack (and a test) can set it without a redeploy of the code. */
const publicRateLimit = (): RateLimit => ({
  limit: Number(process.env.PUBLIC_RATE_LIMIT ?? defaultPublicRateLimit.limit),
  windowSeconds: Number(process.env.PUBLIC_RATE_WINDOW_SECONDS ?? defaultPublicRateLimit.windowSeconds),
});

/** The tenant of a public slug, after the per-tenant rate limit; 404 for an unknown slug, 429 when over the limit. */
export async function publicTenant(deps: AppDeps, slug: string): Promise<{ tenantId: string; settings: Settings }> {
  // A global claim is found whoever asks, hence no tenant.
  const owner = await deps.store.claimOwner('', slugClaim(slug));
  if (!owner) throw new DomainError('not_found', `No business has the public address "${slug}"`);
  // Side by side: a refused request wastes one read, an allowed one saves a round trip of latency.
  const [decision, settings] = await Promise.all([deps.rateLimiter.take(`public#${owner.tenantId}`, publicRateLimit(), deps.now()), tenantSettings(deps, owner.tenantId)]);
  if (!decision.allowed) {
    throw new DomainError('rate_limited', `This business is receiving too many requests; try again in ${decision.retryAfterSeconds} seconds`, {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }
  return { tenantId: owner.tenantId, settings };
}

/** A submission's contact and custom field values, checked against the form: a 400 before anything is written. */
export async function checkedSubmission(deps: AppDeps, tenantId: string, settings: Settings, form: PublicForm, submitter: Submitter) {
  const contact = contactOf(submitter, settings.defaultCountry);
  const values = submitter.customFields ?? {};
  const fieldValues = formFieldValues(form, values, Object.keys(values).length === 0 ? [] : await clientFieldDefinitions(deps, tenantId));
  return { contact, fieldValues };
}

/** Matches or creates the client, writes the inbound item, and `alsoPut` records, all in one transaction. */
export async function receiveInbound(
  deps: AppDeps,
  tenantId: string,
  input: {
    form: PublicForm;
    submitter: Submitter;
    text?: string | undefined;
    entity?: { kind: string; id: string } | undefined;
    /** More records for the same transaction; a function because they may need the client id. */
    alsoPut?: (clientId: string) => CompanionWrite[];
    /** Records that must exist, checked in the same transaction (no read beforehand). */
    references?: readonly RecordRef[];
    /** The settings `publicTenant` returned, to save reading them again. */
    settings?: Settings;
  },
): Promise<{ clientId: string; inboundId: string; newClient: boolean }> {
  const settings = input.settings ?? (await tenantSettings(deps, tenantId));
  const { contact, fieldValues } = await checkedSubmission(deps, tenantId, settings, input.form, input.submitter);
  const ids = { client: deps.newId(), lead: deps.newId(), inbound: deps.newId() };

  const write = async () => {
    const planned = intakeWrite({
      ...input,
      contact,
      fieldValues,
      matched: await matchClient(deps, tenantId, contact),
      leadStatuses: settings.leadStatuses,
      ids,
      now: deps.now(),
    });
    await deps.store.put(tenantId, planned.kind, planned.record, planned.options);
    return { clientId: planned.clientId, inboundId: planned.inboundId, newClient: planned.newClient };
  };
  try {
    return await write();
  } catch (error) {
    // Another request made or changed the card between our match and our write: match again, once.
    if (!lostRace(error)) throw error;
  }
  try {
    return await write();
  } catch (error) {
    // Lost twice: say so without naming the card to an anonymous caller.
    if (lostRace(error)) throw new DomainError('transaction_conflict', 'Other submissions are changing the same records right now; try again');
    throw error;
  }
}

/** The card holding the email, else the one holding the phone. */
async function matchClient(deps: AppDeps, tenantId: string, contact: Contact): Promise<StoredRecord | undefined> {
  for (const claim of clientClaims(contact)) {
    const owner = await deps.store.claimOwner(tenantId, claim);
    const client = owner && (await deps.store.get(tenantId, clientKind, owner.id));
    if (client) return client;
  }
  return undefined;
}

const lostRace = (error: unknown): boolean =>
  error instanceof DomainError && (error.code === 'duplicate' || error.code === 'transaction_conflict' || (error.code === 'version_mismatch' && (error.details as { kind?: string }).kind === clientKind));
