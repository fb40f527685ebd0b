import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolGroup,
  UserPoolEmail,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** The custom attribute that binds a user to a tenant; the ID token carries it as `custom:tenantId`. */
export const TENANT_ATTRIBUTE = 'tenantId';
export const TENANT_CLAIM = `custom:${TENANT_ATTRIBUTE}`;

export interface TenantUserPoolProps {
  /** Origins of the SPA, used as the app client's OAuth callback and sign-out URLs. */
  readonly spaOrigins: readonly string[];
  /**
   * Send Cognito's emails (invitations, codes) through SES from this verified address, in the
   * stack's region. @default Cognito's own sender, limited to about 50 emails a day: tests only
   */
  readonly sesSender?: string;
}

/**
 * The tenants' staff sign in here. Nobody signs themselves up: an operator creates each user with
 * its `tenantId`, which is immutable afterwards and which the SPA client cannot write, so a user can
 * never move themselves into another tenant.
 */
export class TenantUserPool extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  /** The `iss` claim of the pool's tokens: https://cognito-idp.<region>.amazonaws.com/<poolId>. */
  readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: TenantUserPoolProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      ...(props.sesSender === undefined ? {} : { email: UserPoolEmail.withSES({ fromEmail: props.sesSender, sesRegion: Stack.of(this).region }) }),
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        [TENANT_ATTRIBUTE]: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // The staff see their clients' contact data and conversations: a second factor is required.
      // TOTP only, so no SMS role or SMS spend is needed for sign-in.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.issuerUrl = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus feature plan (threat protection) is billed per monthly active user on top of Essentials. ' +
        'Sign-in is already guarded by required TOTP MFA, a 12-character password policy, no self sign-up and ' +
        'API throttling; Plus can be switched on per deployment when the cost is justified.',
    });

    const callbackUrls = [...props.spaOrigins];
    this.client = this.userPool.addClient('SpaClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls,
        logoutUrls: callbackUrls,
      },
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true, locale: true, timezone: true })
        .withCustomAttributes(TENANT_ATTRIBUTE),
      // No custom attributes here: a user cannot change their own tenant.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true, locale: true, timezone: true }),
    });
    // The platform operator's users: their ID tokens carry `cognito:groups: [operators]`, which the
    // /operator/… routes require (a business's users are never added to it).
    new UserPoolGroup(this, 'Operators', { userPool: this.userPool, groupName: 'operators', description: 'Platform operators: set each business’s plan' });
  }
}
