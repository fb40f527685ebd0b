import {
  AlreadyExistsException,
  BadRequestException,
  CreateEmailIdentityCommand,
  CreateTenantCommand,
  CreateTenantResourceAssociationCommand,
  DeleteEmailIdentityCommand,
  DeleteTenantResourceAssociationCommand,
  GetEmailIdentityCommand,
  GetReputationEntityCommand,
  GetTenantCommand,
  NotFoundException,
  type DkimAttributes,
  type SESv2Client,
  type Tag,
} from '@aws-sdk/client-sesv2';
import { conflict, invalidInput } from '#domain/errors.ts';
import type { DkimRecord, DomainState, ResourceTags, SenderIdentities, TenantState } from '#domain/sender.ts';

export interface SesSenderIdentitiesOptions {
  /** The configuration set every email is sent with: each tenant has it associated. */
  readonly configurationSetArn: string;
  /** `arn:<partition>:ses:<region>:<account>:identity/`: a domain's identity ARN is this and its name. */
  readonly identityArnPrefix: string;
}

/** The tag keys IAM's conditions name (lib/sender-identity-grants.ts). */
export const resourceTagKeys = { stack: 'client-messages:stack', tenantId: 'client-messages:tenant' } as const;

const tagsOf = (tags: ResourceTags): Tag[] => [
  { Key: resourceTagKeys.stack, Value: tags.stack },
  { Key: resourceTagKeys.tenantId, Value: tags.tenantId },
];

const ignoring = async (error: new (...args: never[]) => Error, call: () => Promise<unknown>): Promise<void> => {
  try {
    await call();
  } catch (caught) {
    if (!(caught instanceof error)) throw caught;
  }
};

/** Easy DKIM: SES signs with three keys, each published as `<token>._domainkey.<domain>` CNAME `<token>.dkim.amazonses.com`. */
const dkimRecordsOf = (domain: string, dkim: DkimAttributes | undefined): DkimRecord[] =>
  (dkim?.Tokens ?? []).map((token) => ({ name: `${token}._domainkey.${domain}`, type: 'CNAME', value: `${token}.dkim.amazonses.com` }));

function stateOf(domain: string, identity: { VerifiedForSendingStatus?: boolean | undefined; DkimAttributes?: DkimAttributes | undefined; VerificationInfo?: { ErrorType?: string | undefined } | undefined }): DomainState {
  const dkimRecords = dkimRecordsOf(domain, identity.DkimAttributes);
  const dkim = identity.DkimAttributes?.Status;
  if (identity.VerifiedForSendingStatus && dkim === 'SUCCESS') return { status: 'verified', dkimRecords };
  if (dkim === 'FAILED') {
    const why = identity.VerificationInfo?.ErrorType;
    return { status: 'failed', reason: why ? `SES could not verify the DKIM records (${why})` : 'SES could not verify the DKIM records', dkimRecords };
  }
  // PENDING, NOT_STARTED, and TEMPORARY_FAILURE (SES keeps trying, e.g. after a DNS outage).
  return { status: 'pending', dkimRecords };
}

/**
 * Identity and tenant management through SES v2. Every resource is created with the deployment's
 * and the business's tags, which is what IAM lets these calls touch; a domain identity that exists
 * with other tags (another deployment's, or made by hand) is refused, never taken over.
 */
export function sesSenderIdentities(client: SESv2Client, options: SesSenderIdentitiesOptions): SenderIdentities {
  const identityArn = (domain: string) => `${options.identityArnPrefix}${domain}`;
  const associate = (tenantName: string, resourceArn: string) =>
    ignoring(AlreadyExistsException, () => client.send(new CreateTenantResourceAssociationCommand({ TenantName: tenantName, ResourceArn: resourceArn })));

  return {
    async ensureTenant(tenantName, tags) {
      // Tenant-level suppression: one business's bounces and complaints do not stop another's mail to the same address.
      await ignoring(AlreadyExistsException, () =>
        client.send(new CreateTenantCommand({ TenantName: tenantName, Tags: tagsOf(tags), SuppressionAttributes: { SuppressionScope: 'TENANT', SuppressedReasons: ['BOUNCE', 'COMPLAINT'] } })),
      );
      await associate(tenantName, options.configurationSetArn);
    },

    async registerDomain(tenantName, domain, tags) {
      let state: DomainState;
      try {
        const created = await client.send(new CreateEmailIdentityCommand({ EmailIdentity: domain, Tags: tagsOf(tags) }));
        state = stateOf(domain, created);
      } catch (error) {
        if (error instanceof BadRequestException) throw invalidInput([{ path: 'domain', message: `SES refused it: ${error.message}` }]);
        if (!(error instanceof AlreadyExistsException)) throw error;
        // Registered before: ours to register again only if it carries this business's tags.
        const existing = await client.send(new GetEmailIdentityCommand({ EmailIdentity: domain }));
        const tagged = (key: string) => existing.Tags?.find((tag) => tag.Key === key)?.Value;
        if (tagged(resourceTagKeys.stack) !== tags.stack || tagged(resourceTagKeys.tenantId) !== tags.tenantId) {
          throw conflict(`domain ${domain} is already an SES identity of another owner; it cannot be registered here`);
        }
        state = stateOf(domain, existing);
      }
      await associate(tenantName, identityArn(domain));
      return state;
    },

    async domainState(domain) {
      try {
        return stateOf(domain, await client.send(new GetEmailIdentityCommand({ EmailIdentity: domain })));
      } catch (error) {
        if (!(error instanceof NotFoundException)) throw error;
        return { status: 'failed', reason: 'the domain’s SES identity no longer exists; register the domain again', dkimRecords: [] };
      }
    },

    async removeDomain(tenantName, domain) {
      await ignoring(NotFoundException, () => client.send(new DeleteTenantResourceAssociationCommand({ TenantName: tenantName, ResourceArn: identityArn(domain) })));
      await ignoring(NotFoundException, () => client.send(new DeleteEmailIdentityCommand({ EmailIdentity: domain })));
    },

    async tenantState(tenantName): Promise<TenantState> {
      const { Tenant: tenant } = await client.send(new GetTenantCommand({ TenantName: tenantName }));
      const base = { sendingStatus: tenant?.SendingStatus ?? 'ENABLED' };
      if (!tenant?.TenantArn) return base;
      const { ReputationEntity: entity } = await client.send(new GetReputationEntityCommand({ ReputationEntityReference: tenant.TenantArn, ReputationEntityType: 'RESOURCE' }));
      const cause = entity?.AwsSesManagedStatus?.Cause ?? entity?.CustomerManagedStatus?.Cause;
      return {
        sendingStatus: entity?.SendingStatusAggregate ?? base.sendingStatus,
        ...(entity?.ReputationImpact ? { reputationImpact: entity.ReputationImpact } : {}),
        ...(cause ? { cause } : {}),
      };
    },
  };
}
