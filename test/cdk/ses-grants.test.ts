import { describe, expect, it } from 'vitest';
import { MessagesStack } from '#infra/messages-stack.ts';
import { apiAreas } from '#api/catalog.ts';
import { resourceTagKeys } from '#adapters/ses/sender-identities.ts';
import { appLikeCli, SKIP_BUNDLING, templateOf } from './support.ts';
import { ACCOUNT, decide, policiesOfRole, REGION, roleArnOf, type TableRequest } from './policy-simulation.ts';

// The SES grants (lib/ses-tenant-grants.ts) evaluated offline by iam-simulate, whose service data is
// AWS's Service Authorization Reference: a condition key SES does not offer for an action would
// never match, so an allowed request here also shows the grant names keys SES evaluates.
const stack = new MessagesStack(appLikeCli(SKIP_BUNDLING), 'ClientMessages', { areas: apiAreas });
const { resources, idOf } = templateOf(stack);
const { prefix } = stack.delivery.sesTenants;
// A tenant's ARN is tenant/<name>/<id> (the reference's ARN format); the grants' tenant/<prefix>-* covers it.
const ses = (resource: string) => `arn:aws:ses:${REGION}:${ACCOUNT}:${resource}`;

const asRole = (roleId: string) => (request: TableRequest) => decide(policiesOfRole(resources, roleId), roleArnOf(roleId), request);
const settings = asRole(idOf(stack.functions.get('settings')!.role));
const delivery = asRole(idOf(stack.delivery.fn.role));

const ownTags = { [`aws:RequestTag/${resourceTagKeys.stack}`]: prefix, [`aws:RequestTag/${resourceTagKeys.tenantId}`]: 'acme' };
const withTags = (action: string, resource: string, tags: Record<string, string>): TableRequest => ({
  action,
  resource,
  leadingKeys: [],
  context: { ...tags, 'aws:TagKeys': Object.keys(tags).map((key) => key.replace('aws:RequestTag/', '')) } as unknown as Record<string, string>,
});

describe('the settings area’s SES grants', () => {
  it('create a tenant and a domain identity only tagged as this deployment’s, with no other tag key', async () => {
    expect(await settings(withTags('ses:CreateTenant', ses(`tenant/${prefix}-acme/tn-0f1e2d`), ownTags))).toBe('Allowed');
    expect(await settings(withTags('ses:CreateEmailIdentity', ses('identity/salon.example'), ownTags))).toBe('Allowed');
    expect(await settings(withTags('ses:CreateTenant', ses(`tenant/${prefix}-acme/tn-0f1e2d`), { ...ownTags, [`aws:RequestTag/${resourceTagKeys.stack}`]: 'Other' }))).toBe('ImplicitlyDenied');
    expect(await settings(withTags('ses:CreateEmailIdentity', ses('identity/salon.example'), { ...ownTags, 'aws:RequestTag/owner': 'x' }))).toBe('ImplicitlyDenied');
    expect(await settings({ action: 'ses:CreateEmailIdentity', resource: ses('identity/salon.example'), leadingKeys: [] })).toBe('ImplicitlyDenied');
  });

  it('delete and associate only identities that carry this deployment’s tag', async () => {
    const tagged = (value: string): TableRequest => ({ action: 'ses:DeleteEmailIdentity', resource: ses('identity/salon.example'), leadingKeys: [], context: { [`aws:ResourceTag/${resourceTagKeys.stack}`]: value } });
    expect(await settings(tagged(prefix))).toBe('Allowed');
    expect(await settings(tagged('Other'))).toBe('ImplicitlyDenied');
  });

  it('read and associate only this deployment’s tenants', async () => {
    expect(await settings({ action: 'ses:GetTenant', resource: ses(`tenant/${prefix}-acme/tn-0f1e2d`), leadingKeys: [] })).toBe('Allowed');
    expect(await settings({ action: 'ses:GetTenant', resource: ses('tenant/Other-acme/tn-0f1e2d'), leadingKeys: [] })).toBe('ImplicitlyDenied');
  });
});

describe('delivery’s SES grant', () => {
  const send = (resource: string, tenantName?: string): TableRequest => ({ action: 'ses:SendEmail', resource, leadingKeys: [], context: tenantName ? { 'ses:TenantName': tenantName } : {} });

  // The reference lists identity, configuration set and template as SendEmail's resources (not the tenant, which the grant also names).
  it('sends only as one of this deployment’s tenants', async () => {
    expect(await delivery(send(ses('identity/salon.example'), `${prefix}-acme`))).toBe('Allowed');
    expect(await delivery(send(ses('identity/salon.example'), 'Other-acme'))).toBe('ImplicitlyDenied');
    expect(await delivery(send(ses('identity/salon.example')))).toBe('ImplicitlyDenied');
  });

  it('manages no tenant or identity', async () => {
    expect(await delivery(withTags('ses:CreateTenant', ses(`tenant/${prefix}-acme/tn-0f1e2d`), ownTags))).toBe('ImplicitlyDenied');
  });
});
