import * as z from 'zod';
import { DomainError, notFound, versionConflict } from '#domain/errors.ts';
import { sesTenantNameOf } from '#domain/identities.ts';
import { newRecord, revise } from '#domain/record.ts';
import { claimChanges } from '#domain/record-store.ts';
import {
  DkimRecord,
  domainStatuses,
  effectiveSender,
  mailboxOf,
  senderClaims,
  senderDomainClaim,
  senderIdentityId,
  senderIdentityKind,
  senderStatuses,
  type DomainState,
  type SenderDomainInput,
  type SenderIdentities,
  type SenderIdentity,
  type TenantState,
} from '#domain/sender.ts';
import type { AppDeps } from '#http/deps.ts';
import { tenantSettings } from '#services/tenant-settings.ts';

/** What the sender operations need beyond the app's deps: the SES port, and the deployment's names. */
export interface SenderDeps {
  readonly identities: SenderIdentities;
  /** Starts every SES tenant name of this deployment (see `sesTenantNameOf`). */
  readonly tenantPrefix: string;
  /** The platform's From address, used until a business's own domain is verified. */
  readonly platformAddress: string;
}

export const SenderSettings = z
  .strictObject({
    version: z.number().int().min(0).meta({ description: '0 until the business first saves settings or registers a domain; send it back in If-Match' }),
    effectiveFrom: z.string().meta({ description: 'The From header messages go with now, e.g. "Salón Lucía" <citas@platform.example> (a non-ASCII name RFC 2047-encoded)' }),
    replyTo: z.email().optional().meta({ description: 'Where replies go: the contact email of the settings' }),
    status: z.enum(senderStatuses).meta({
      description: '`platform`: no own domain; `pending`: the own domain waits for its DKIM records; `failed`: its verification failed; `verified`: messages go from the own address. Until `verified`, the platform address is used',
    }),
    reason: z.string().optional().meta({ description: 'Why the platform address is used although a domain is registered' }),
    domain: z
      .strictObject({
        name: z.string(),
        localPart: z.string(),
        address: z.string().meta({ description: 'The From address once verified' }),
        status: z.enum(domainStatuses),
        reason: z.string().optional(),
        dkimRecords: z.array(DkimRecord).meta({ description: 'Publish each as a CNAME record in the domain’s DNS' }),
        registeredAt: z.iso.datetime(),
        checkedAt: z.iso.datetime(),
      })
      .optional(),
    tenant: z
      .strictObject({
        name: z.string().meta({ description: 'The business’s SES tenant' }),
        sendingStatus: z.string().meta({ description: 'ENABLED, REINSTATED or DISABLED (SES paused this business’s sending)' }),
        reputationImpact: z.string().optional().meta({ description: 'SES’s reputation finding for the tenant: LOW or HIGH impact' }),
        cause: z.string().optional(),
      })
      .optional()
      .meta({ description: 'Absent until the business first saves its settings' }),
  })
  .meta({ id: 'SenderSettings' });
export type SenderSettings = z.infer<typeof SenderSettings>;

const loadIdentity = (deps: AppDeps, tenantId: string) => deps.store.get(tenantId, senderIdentityKind, senderIdentityId);

/** Writes the next state of the sender record over `current` (or as its first version), claiming its domain. */
async function save(deps: AppDeps, tenantId: string, current: SenderIdentity | undefined, fields: Pick<SenderIdentity, 'tenant' | 'domain'>): Promise<SenderIdentity> {
  const next: SenderIdentity = current ? revise(current, fields, deps.now()) : newRecord(fields, senderIdentityId, deps.now());
  if (current && !fields.domain) delete next.domain;
  await deps.store.put(tenantId, senderIdentityKind, next, { expected: current ? current.version : 'absent', ...claimChanges(senderClaims(current), senderClaims(next)) });
  return next;
}

const tagsOf = (sender: SenderDeps, tenantId: string) => ({ stack: sender.tenantPrefix, tenantId });

/**
 * The business's SES tenant, created the first time (idempotently: SES keeps one per name); the
 * record then names it, so sending uses it without asking SES. A concurrent first save that wrote
 * the record first is fine: it names the same tenant.
 */
export async function ensureSenderTenant(deps: AppDeps, sender: SenderDeps, tenantId: string): Promise<SenderIdentity> {
  const current = await loadIdentity(deps, tenantId);
  if (current?.tenant) return current;
  const name = sesTenantNameOf(sender.tenantPrefix, tenantId);
  await sender.identities.ensureTenant(name, tagsOf(sender, tenantId));
  try {
    return await save(deps, tenantId, current, { tenant: { name, createdAt: deps.now().toISOString() }, ...(current?.domain ? { domain: current.domain } : {}) });
  } catch (error) {
    if (error instanceof DomainError && error.code === 'version_mismatch') return (await loadIdentity(deps, tenantId))!;
    throw error;
  }
}

function view(identity: SenderIdentity | undefined, settings: { businessName: string; contactEmail?: string | undefined }, sender: SenderDeps, tenant: TenantState | undefined): SenderSettings {
  const effective = effectiveSender(settings, identity);
  const { domain } = identity ?? {};
  return {
    version: identity?.version ?? 0,
    effectiveFrom: mailboxOf(effective.name, effective.address ?? sender.platformAddress),
    ...(effective.replyTo ? { replyTo: effective.replyTo } : {}),
    status: effective.status,
    ...(effective.reason ? { reason: effective.reason } : {}),
    ...(domain ? { domain: { ...domain, address: `${domain.localPart}@${domain.name}` } } : {}),
    ...(identity?.tenant && tenant ? { tenant: { name: identity.tenant.name, ...tenant } } : {}),
  };
}

const withState = (domain: NonNullable<SenderIdentity['domain']>, state: DomainState, at: string): NonNullable<SenderIdentity['domain']> => {
  const { reason: _old, ...kept } = domain;
  return { ...kept, status: state.status, ...(state.reason ? { reason: state.reason } : {}), dkimRecords: [...state.dkimRecords], checkedAt: at };
};

const sameState = (domain: NonNullable<SenderIdentity['domain']>, state: DomainState): boolean =>
  domain.status === state.status && domain.reason === state.reason && JSON.stringify(domain.dkimRecords) === JSON.stringify(state.dkimRecords);

/**
 * The sender settings, with the domain's verification and the tenant's standing read from SES
 * now. A changed verification is stored, so delivery (which never asks SES) follows it; when a
 * concurrent change won, what it stored is shown.
 */
export async function readSenderSettings(deps: AppDeps, sender: SenderDeps, tenantId: string): Promise<SenderSettings> {
  const [settings, stored] = await Promise.all([tenantSettings(deps, tenantId), loadIdentity(deps, tenantId)]);
  let identity = stored;
  const [state, tenant] = await Promise.all([
    stored?.domain ? sender.identities.domainState(stored.domain.name) : undefined,
    stored?.tenant ? sender.identities.tenantState(stored.tenant.name) : undefined,
  ]);
  if (stored?.domain && state && !sameState(stored.domain, state)) {
    try {
      identity = await save(deps, tenantId, stored, { ...(stored.tenant ? { tenant: stored.tenant } : {}), domain: withState(stored.domain, state, deps.now().toISOString()) });
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'version_mismatch')) throw error;
      identity = await loadIdentity(deps, tenantId);
    }
  }
  return view(identity, settings, sender, tenant);
}

function expectVersion(current: SenderIdentity | undefined, ifMatch: number | undefined): void {
  const version = current?.version ?? 0;
  if (ifMatch !== version) throw versionConflict(senderIdentityKind, senderIdentityId, version);
}

/**
 * Registers the business's own domain: its SES identity (Easy DKIM) in the business's tenant,
 * whose DKIM records the answer lists. Another domain registered before is removed from SES once
 * the new one is stored. A domain another business registered is refused before SES is asked.
 */
export async function registerSenderDomain(deps: AppDeps, sender: SenderDeps, tenantId: string, input: SenderDomainInput, ifMatch: number | undefined): Promise<SenderSettings> {
  const before = await loadIdentity(deps, tenantId);
  expectVersion(before, ifMatch);
  const owner = await deps.store.claimOwner(tenantId, senderDomainClaim(input.domain));
  if (owner && owner.tenantId !== tenantId) {
    throw new DomainError('duplicate', `domain ${input.domain} is registered by another business`, { field: 'domain', value: input.domain });
  }
  const withTenant = before?.tenant ? before : await ensureSenderTenant(deps, sender, tenantId);
  const tenantName = withTenant.tenant!.name;
  const state = await sender.identities.registerDomain(tenantName, input.domain, tagsOf(sender, tenantId));
  const at = deps.now().toISOString();
  const previous = withTenant.domain;
  const registeredAt = previous?.name === input.domain ? previous.registeredAt : at;
  const domain = withState({ name: input.domain, localPart: input.localPart, status: state.status, dkimRecords: [], registeredAt, checkedAt: at }, state, at);
  const saved = await save(deps, tenantId, withTenant, { tenant: withTenant.tenant!, domain });
  if (previous && previous.name !== input.domain) await sender.identities.removeDomain(tenantName, previous.name);
  const [settings, tenant] = await Promise.all([tenantSettings(deps, tenantId), sender.identities.tenantState(tenantName)]);
  return view(saved, settings, sender, tenant);
}

/** Back to the platform address: the domain leaves the record first (no message goes from it after), then SES. */
export async function removeSenderDomain(deps: AppDeps, sender: SenderDeps, tenantId: string, ifMatch: number | undefined): Promise<SenderSettings> {
  const current = await loadIdentity(deps, tenantId);
  if (!current?.domain) throw notFound('sender domain', senderIdentityId);
  expectVersion(current, ifMatch);
  const saved = await save(deps, tenantId, current, current.tenant ? { tenant: current.tenant } : {});
  if (current.tenant) await sender.identities.removeDomain(current.tenant.name, current.domain.name);
  const [settings, tenant] = await Promise.all([tenantSettings(deps, tenantId), current.tenant ? sender.identities.tenantState(current.tenant.name) : undefined]);
  return view(saved, settings, sender, tenant);
}
