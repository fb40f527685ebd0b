import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';

/**
 * The AWS Control Tower proactive controls (cfn-guard rules bundled with
 * @cdklabs/cdk-validator-cfnguard, run offline by its bundled cfn-guard binary) this stack does not
 * follow, each once, with why. cfn-guard has no per-resource suppression, so a rule listed here is
 * off for the whole template; test/cdk/guard.test.ts checks that each still fails without its entry,
 * so none stays here after the stack has come to follow it.
 */
export const disabledGuardRules: Readonly<Record<string, string>> = {
  'ct-apigateway-pr-5':
    'The /public/* widget routes (contact, booking request, message, document upload) are unauthenticated by design: anyone on a business site may use them. They are throttled per route and counted per business and per sender in the function.',
  'ct-cloudfront-pr-1':
    'The edge distribution fronts the HTTP API, not a website: "/" is an API path like any other, and a default root object would rewrite it to an object the API does not serve.',
  'ct-cloudfront-pr-4':
    'The distribution has one origin, the stack\'s HTTP API in its one region; an origin group needs a second origin serving the same API and data, which a single-region stack does not have.',
  'ct-cloudfront-pr-5':
    'Every request that reaches the API is in the HTTP API access logs; requests the edge blocks are counted in the web ACL metrics with sampled requests (as acknowledged for cdk-nag AwsSolutions-CFR3), so CloudFront standard logs would need one more bucket for no reader.',
  'ct-cloudfront-pr-6':
    'The distribution uses its default *.cloudfront.net certificate (no custom domain, so no ACM certificate to name); CloudFront sets its TLS policy. With a custom domain, give an ACM certificate, sni-only and TLSv1.2_2021.',
  'ct-cloudfront-pr-7':
    'The distribution uses its default *.cloudfront.net certificate, so there is no ACM certificate and SslSupportMethod to set; with a custom domain, give an ACM certificate with sni-only.',
  'ct-cloudfront-pr-9':
    'With the default *.cloudfront.net certificate CloudFront fixes the minimum protocol version itself (MinimumProtocolVersion applies only to a custom certificate); with a custom domain, set TLSv1.2_2021.',
  'ct-cloudwatch-pr-2':
    'Logs are kept one month (functions) and three months (API access logs): they hold client addresses and message metadata, kept no longer than operating the system needs. The records table is the system of record.',
  'ct-cloudwatch-pr-3':
    'CloudWatch Logs encrypts every log group at rest with a service key; a customer-managed key per log group adds KMS cost and a key policy to manage without changing who can read the logs (IAM does).',
  'ct-dynamodb-pr-2':
    'The records table is encrypted at rest with the DynamoDB-owned key; a KMS key would add a KMS call per cache miss and a key to manage, and no principal outside this account needs key-level control.',
  'ct-kms-pr-3':
    'The only customer-managed key encrypts the alarm topic; its policy is CDK\'s default (the account administers it) plus CloudWatch. No principal is granted kms:CreateGrant; the rule only accepts a key policy statement with kms:GrantIsForAWSResource.',
  'ct-lambda-pr-2':
    'Every Lambda permission names a service principal (API Gateway, EventBridge) with a SourceArn of this stack\'s API or rule; the rule accepts only a plain string or a Ref as SourceArn, not the Fn::Join that builds an execute-api ARN.',
  'ct-lambda-pr-3':
    'The functions call only AWS service endpoints (DynamoDB, SQS, Scheduler, SES, SNS, S3) and no private resource: a VPC would add NAT gateways or interface endpoints and cold-start cost without narrowing access, which IAM already does.',
  'ct-s3-pr-2':
    'The bucket without server access logging is the access-log bucket itself: logging it into itself would loop, and into another bucket would need one more bucket for no reader.',
  'ct-s3-pr-4':
    'No process reacts to S3 events: uploads are confirmed by the API (documents are described with HeadObject when attached), so event notifications would have no target.',
  'ct-s3-pr-9':
    'Object Lock would forbid deleting a document before its retention ends, while tenants delete documents (and client data on request); versioning with lifecycle rules keeps recovery without that.',
  'ct-s3-pr-10':
    'Buckets use SSE-S3 encryption: browsers upload with presigned URLs, and SSE-KMS would need every uploader\'s request signed with KMS permissions and add a KMS call per object.',
  'ct-s3-pr-11':
    'The bucket without versioning is the access-log bucket: logs are written once and expire by lifecycle, and versions would keep deleted logs past that.',
  'ct-sqs-pr-1':
    'The queues without a dead-letter queue are dead-letter or failure queues themselves (delivery, email events, scheduler, stream failures); their messages wait 14 days to be inspected and redriven.',
};

/** The cfn-guard validation plugin with the Control Tower rules, less `disabledGuardRules`. */
export const guardValidator = (): CfnGuardValidator => new CfnGuardValidator({ disabledRules: Object.keys(disabledGuardRules) });
