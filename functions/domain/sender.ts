import { domainToASCII } from 'node:url';
import * as z from 'zod';
import { RecordMeta } from '#domain/record.ts';
import type { UniqueClaim } from '#domain/record-store.ts';

/**
 * Who the business's email comes from: the platform's address with the business's name, or the
 * business's own verified domain; and the business as its own SES tenant, so its reputation is
 * its own. Pure: the SES calls are behind the `SenderIdentities` port.
 */

// RFC 2047: an encoded-word is at most 75 characters; `=?UTF-8?B?` and `?=` take 12 of them, and
// base64 comes in groups of 4 characters per 3 bytes: 60 characters, 45 bytes of UTF-8 per word.
const maxBytesPerEncodedWord = 45;
const utf8 = new TextEncoder();
const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** A display name as one header line may carry it: no control characters (a CR or LF would start a new header), single spaces. */
const cleanDisplayName = (name: string): string =>
  name
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** RFC 2047 B encoded-words, split between grapheme clusters (an accent or an emoji is never cut in two). */
function encodedWords(name: string): string {
  const words: number[][] = [];
  let word: number[] = [];
  for (const { segment } of graphemes.segment(name)) {
    const bytes = utf8.encode(segment);
    if (word.length > 0 && word.length + bytes.length > maxBytesPerEncodedWord) {
      words.push(word);
      word = [];
    }
    word.push(...bytes);
  }
  if (word.length > 0) words.push(word);
  return words.map((bytes) => `=?UTF-8?B?${Buffer.from(bytes).toString('base64')}?=`).join(' ');
}

/**
 * `"Display Name" <address>` as SES's FromEmailAddress takes it: a printable-ASCII name as an
 * RFC 5322 quoted string (so commas, dots and parentheses are plain text), any other as RFC 2047
 * encoded-words (SES wants 7-bit ASCII headers); an empty name gives the bare address.
 */
export function mailboxOf(displayName: string, address: string): string {
  const name = cleanDisplayName(displayName);
  if (name === '') return address;
  const phrase = /^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/[\\"]/g, (char) => `\\${char}`)}"` : encodedWords(name);
  return `${phrase} <${address}>`;
}

/** A domain the business sends from, in its ASCII (punycode) form, lower case. */
export const SendingDomain = z
  .string()
  .trim()
  .transform((domain, context) => {
    const ascii = domainToASCII(domain.replace(/\.$/, '')).toLowerCase();
    const labels = ascii.split('.');
    const valid =
      ascii.length > 0 &&
      ascii.length <= 253 &&
      labels.length >= 2 &&
      labels.every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label)) &&
      !/^\d+$/.test(labels.at(-1)!);
    if (!valid) {
      context.addIssue({ code: 'custom', message: 'must be a domain name such as salon-lucia.es' });
      return z.NEVER;
    }
    return ascii;
  })
  .meta({ description: 'The domain, e.g. salon-lucia.es (an internationalized name is stored in its punycode form)', examples: ['salon-lucia.es'] });

/** The part before the @ of the from address: an RFC 5322 dot-atom, ASCII only (SES does not take SMTPUTF8). */
export const LocalPart = z
  .string()
  .trim()
  .max(64)
  .regex(/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/, 'must be the part of an address before the @, such as citas (ASCII letters, digits, dots between words)')
  .meta({ examples: ['citas'] });

export const SenderDomainInput = z.strictObject({
  domain: SendingDomain,
  localPart: LocalPart,
});
export type SenderDomainInput = z.infer<typeof SenderDomainInput>;

export const DkimRecord = z
  .strictObject({
    name: z.string().meta({ description: 'The DNS name to publish, e.g. abc123._domainkey.salon-lucia.es' }),
    type: z.literal('CNAME'),
    value: z.string().meta({ description: 'What it points at, e.g. abc123.dkim.amazonses.com' }),
  })
  .meta({ id: 'DkimRecord' });
export type DkimRecord = z.infer<typeof DkimRecord>;

export const domainStatuses = ['pending', 'verified', 'failed'] as const;
export type DomainStatus = (typeof domainStatuses)[number];

/** What SES says of a domain identity: its DKIM verification, and why it failed where it did. */
export interface DomainState {
  readonly status: DomainStatus;
  readonly reason?: string;
  readonly dkimRecords: readonly DkimRecord[];
}

const SenderDomain = z.strictObject({
  name: z.string(),
  localPart: z.string(),
  status: z.enum(domainStatuses),
  reason: z.string().optional(),
  dkimRecords: z.array(DkimRecord),
  registeredAt: z.iso.datetime(),
  /** When SES was last asked about it (registration, or a read of the sender settings). */
  checkedAt: z.iso.datetime(),
});

/** The business's sender as stored: its SES tenant once created, and its own domain once registered. */
export const SenderIdentity = RecordMeta.extend({
  /** The business's SES tenant; set once it exists, so sending names it only then. */
  tenant: z.strictObject({ name: z.string(), createdAt: z.iso.datetime() }).optional(),
  domain: SenderDomain.optional(),
}).strict();
export type SenderIdentity = z.infer<typeof SenderIdentity>;

export const senderIdentityKind = 'senderIdentity';
export const senderIdentityId = 'current';

/** A sending domain is one business's: SES has one identity per domain for the whole account. */
export const senderDomainClaim = (domain: string): UniqueClaim => ({ scope: 'global', name: 'senderDomain', field: 'domain', value: domain, taken: `domain ${domain} is registered by another business` });
export const senderClaims = (identity: Pick<SenderIdentity, 'domain'> | undefined): UniqueClaim[] => (identity?.domain ? [senderDomainClaim(identity.domain.name)] : []);

export const senderStatuses = ['platform', 'pending', 'verified', 'failed'] as const;

/** How email goes out for the business now, and why. */
export interface EffectiveSender {
  /** The display name: the business's name. */
  readonly name: string;
  /** The business's own address, once its domain is verified; without it, the platform's address. */
  readonly address?: string;
  readonly replyTo?: string;
  /** `platform`: no own domain; `pending`/`failed`: an own domain not usable (yet), so the platform address; `verified`: the own domain. */
  readonly status: (typeof senderStatuses)[number];
  readonly reason?: string;
  /** The business's SES tenant, once created: sending names it, with no SES call to find it. */
  readonly tenantName?: string;
}

/**
 * The sender of the business's email: its own address once its domain is verified, else the
 * platform address, with the reason; its name as display name, replies to its contact address.
 */
export function effectiveSender(business: { readonly businessName: string; readonly contactEmail?: string | undefined }, identity: Pick<SenderIdentity, 'tenant' | 'domain'> | undefined): EffectiveSender {
  const { domain, tenant } = identity ?? {};
  const common = {
    name: business.businessName,
    ...(business.contactEmail ? { replyTo: business.contactEmail } : {}),
    ...(tenant ? { tenantName: tenant.name } : {}),
  };
  if (!domain) return { ...common, status: 'platform' };
  if (domain.status === 'verified') return { ...common, address: `${domain.localPart}@${domain.name}`, status: 'verified' };
  const reason = domain.status === 'pending' ? `domain ${domain.name} is not verified yet: publish its DKIM records` : `domain ${domain.name} failed verification${domain.reason ? `: ${domain.reason}` : ''}`;
  return { ...common, status: domain.status, reason };
}

/** The business's SES tenant's standing, as SES reports it. */
export interface TenantState {
  /** ENABLED, REINSTATED or DISABLED (SES paused the business's sending). */
  readonly sendingStatus: string;
  /** SES's view of the tenant's reputation: LOW or HIGH impact of its findings, where SES has one. */
  readonly reputationImpact?: string;
  readonly cause?: string;
}

/** Tags SES resources are created with: IAM lets the functions manage only resources carrying them. */
export interface ResourceTags {
  readonly stack: string;
  readonly tenantId: string;
}

/** SES identity and tenant management (SES v2 in AWS, a stand-in locally); called on settings changes and reads only, never when sending. */
export interface SenderIdentities {
  /** Creates the tenant with the configuration set associated; one that exists already is fine. */
  ensureTenant(tenantName: string, tags: ResourceTags): Promise<void>;
  /** Creates the domain identity (Easy DKIM) and associates it with the tenant; registering it again gives its state. */
  registerDomain(tenantName: string, domain: string, tags: ResourceTags): Promise<DomainState>;
  /** The domain identity's verification now; `failed` when it no longer exists. */
  domainState(domain: string): Promise<DomainState>;
  /** Removes the domain from the tenant and deletes its identity; one already gone is fine. */
  removeDomain(tenantName: string, domain: string): Promise<void>;
  tenantState(tenantName: string): Promise<TenantState>;
}
