import { clientClaims, clientKind, type Client } from '#domain/clients.ts';
import { DomainError } from '#domain/errors.ts';
import { contactOf, formFieldValues, intakeWrite, replyField, type Contact } from '#domain/intake.ts';
import type { Submitter } from '#domain/submitter.ts';
import type { PublicForm } from '#domain/client-fields.ts';
import type { CompanionWrite, RecordRef } from '#domain/record-store.ts';
import { defaultPublicRateLimit, defaultPublicSenderRateLimit, publicBusinessCounter, publicSenderCounter, senderOf, type RateLimit } from '#domain/rate-limit.ts';
import { slugClaim, type Settings } from '#domain/settings.ts';
import type { AppDeps } from '#http/deps.ts';
import type { RouteRequest } from '#http/route.ts';
import { clientFieldDefinitions } from '#services/client-field-definitions.ts';
import { tenantSettings } from '#services/tenant-settings.ts';
import { bindRequestTenant } from '#request-tenant';

/**
 * What every public widget does with a submission, whichever form it came from: find the business
 * by its slug (within its rate limits), then match or create the client and record what they sent.
 */

export type { PublicForm } from '#domain/client-fields.ts';

/** Read at each request, so the stack (and a test) can set them without a redeploy of the code. */
function publicRateLimits(): { business: RateLimit; sender: RateLimit } {
  const windowSeconds = Number(process.env.PUBLIC_RATE_WINDOW_SECONDS ?? defaultPublicRateLimit.windowSeconds);
  return {
    business: { limit: Number(process.env.PUBLIC_RATE_LIMIT ?? defaultPublicRateLimit.limit), windowSeconds },
    sender: { limit: Number(process.env.PUBLIC_SENDER_RATE_LIMIT ?? defaultPublicSenderRateLimit), windowSeconds },
  };
}

/** What a public route knows of its caller before finding the business. */
export type PublicRequest = Pick<RouteRequest<{ slug: string }, unknown, unknown>, 'params' | 'sourceIp'>;

/**
 * The tenant of a public slug, after the per-sender and per-business rate limits: 404 for an
 * unknown slug, 429 when the sender or the business is over its limit.
 */
export async function publicTenant(deps: AppDeps, request: PublicRequest): Promise<{ tenantId: string; settings: Settings }> {
  const { slug } = request.params;
  const limits = publicRateLimits();
  const now = deps.now();
  // Nothing is counted before the slug resolves, so a request to an unknown one writes nothing. A
  // global claim is found whoever asks, hence no tenant.
  const owner = await deps.store.claimOwner('', slugClaim(slug));
  if (!owner) throw new DomainError('not_found', `No business has the public address "${slug}"`);
  // From here the request acts for this business: its table calls carry the business's credentials.
  bindRequestTenant(owner.tenantId);
  // The sender's counter is the business's, not the slug's, so a new slug does not reset it; the
  // settings are read beside it, which a refused request wastes and an allowed one saves a round trip on.
  const [sender, settings] = await Promise.all([
    deps.rateLimiter.take(publicSenderCounter(owner.tenantId, senderOf(request.sourceIp)), limits.sender, now),
    tenantSettings(deps, owner.tenantId),
  ]);
  // Refused before the business's counter is taken, so one sender's flood does not use up the business's budget.
  if (!sender.allowed) throw rateLimited(`Too many requests from your address to this business; try again in ${sender.retryAfterSeconds} seconds`, sender.retryAfterSeconds);
  const business = await deps.rateLimiter.take(publicBusinessCounter(owner.tenantId), limits.business, now);
  if (!business.allowed) throw rateLimited(`This business is receiving too many requests; try again in ${business.retryAfterSeconds} seconds`, business.retryAfterSeconds);
  return { tenantId: owner.tenantId, settings };
}

const rateLimited = (message: string, retryAfterSeconds: number): DomainError => new DomainError('rate_limited', message, { retryAfterSeconds });

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
      ...(await matchClient(deps, tenantId, contact)),
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

/**
 * The card holding the address the reply goes to (`replyField`), and which of the form's addresses
 * cards hold already; the claims of both are read side by side.
 */
async function matchClient(deps: AppDeps, tenantId: string, contact: Contact): Promise<{ matched: Client | undefined; taken: (keyof Contact)[] }> {
  const fields = (['email', 'phone'] as const).filter((field) => contact[field] !== undefined);
  const owners = await Promise.all(fields.map((field) => deps.store.claimOwner(tenantId, clientClaims({ [field]: contact[field] })[0]!)));
  const replyOwner = owners[fields.indexOf(replyField(contact))];
  return {
    matched: replyOwner && (await deps.store.get(tenantId, clientKind, replyOwner.id)),
    taken: fields.filter((_, index) => owners[index] !== undefined),
  };
}

const lostRace = (error: unknown): boolean =>
  error instanceof DomainError && (error.code === 'duplicate' || error.code === 'transaction_conflict' || (error.code === 'version_mismatch' && (error.details as { kind?: string }).kind === clientKind));
