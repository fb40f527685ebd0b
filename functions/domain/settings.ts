import * as z from 'zod';
import { Language, Name, TimeZone } from '#domain/values.ts';
import { invalidInput } from '#domain/errors.ts';
import type { UniqueClaim } from '#domain/record-store.ts';

const StatusList = z
  .array(z.string().trim().min(1).max(40))
  .min(1)
  .max(50)
  .refine((list) => new Set(list).size === list.length, { message: 'must not repeat a status' });

const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as ES');

/** The business's public address for its widgets (`/public/{slug}/…`), unique across all businesses. */
export const Slug = z
  .string()
  .min(3)
  .max(63)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters and digits, words joined by single hyphens, e.g. salon-lucia')
  .meta({ description: 'Public address of the business’s widgets (/public/{slug}/…); unique across businesses' });

export const SettingsInput = z.strictObject({
  businessName: Name,
  slug: Slug.optional(),
  timeZone: TimeZone,
  defaultLanguage: Language,
  /** Where "remind me" notifications and manual follow-ups go. */
  contactEmail: z.email().optional(),
  bookingApproval: z.enum(['automatic', 'manual']),
  /** Phone numbers typed without a country code are read as this country's. */
  defaultCountry: CountryCode.optional(),
  orderStatuses: StatusList,
  leadStatuses: StatusList,
});
export type SettingsInput = z.infer<typeof SettingsInput>;

export const Settings = SettingsInput.extend({
  businessName: z.string(),
  /** 0 until the tenant first saves settings; send it back in If-Match to create them. */
  version: z.number().int().min(0).meta({ readOnly: true }),
  updatedAt: z.iso.datetime().optional().meta({ readOnly: true }),
});
export type Settings = z.infer<typeof Settings>;

/** What a tenant that never saved settings gets. */
export const defaultSettings: Settings = {
  businessName: '',
  timeZone: 'UTC',
  defaultLanguage: 'en',
  bookingApproval: 'automatic',
  orderStatuses: ['New', 'In progress', 'Ready', 'Completed'],
  leadStatuses: ['New', 'Contacted', 'Qualified', 'Won', 'Lost'],
  version: 0,
};

export const settingsKind = 'settings';
export const settingsId = 'current';

/** The status to store on an order or lead: the one asked for if the tenant's list has it, else the list's first. */
export function statusFromList(requested: string | undefined, list: readonly string[]): string {
  if (requested === undefined) return list[0]!;
  if (!list.includes(requested)) {
    throw invalidInput([{ path: 'status', message: `must be one of the business's statuses: ${list.join(', ')}` }]);
  }
  return requested;
}

/** A public slug is held across all businesses; its owner is the business the widgets reach. */
export const slugClaim = (slug: string): UniqueClaim => ({ scope: 'global', name: 'slug', field: 'slug', value: slug });

/** The claims settings hold: the public slug. */
export const settingsClaims = (settings: { slug?: string | undefined }): UniqueClaim[] => (settings.slug ? [slugClaim(settings.slug)] : []);
