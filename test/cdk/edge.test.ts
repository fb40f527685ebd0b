import { describe, expect, it } from 'vitest';
import { Stack } from 'aws-cdk-lib';
import { apiAreas } from '#api/catalog.ts';
import { originVerifyHeader } from '#http/edge.ts';
import { DEFAULT_EDGE_LIMITS, EdgeFirewallStack } from '#infra/edge-firewall.ts';
import { MessagesStack } from '#infra/messages-stack.ts';
import { appLikeCli, SKIP_BUNDLING, templateOf, type CfnResource } from './support.ts';

// The API's edge: CloudFront with AWS WAF in front of the HTTP API, and the origin secret that
// makes the public routes answer only through it. Bundling is skipped: the template's shape does
// not depend on the bundles.
const app = appLikeCli(SKIP_BUNDLING);
const stack = new MessagesStack(app, 'ClientMessages', { areas: apiAreas });
const { resources, ofType, idOf } = templateOf(stack);

const [[, webAcl]] = ofType('AWS::WAFv2::WebACL') as [[string, CfnResource]];
const rules = webAcl.Properties.Rules as Record<string, any>[];
const rule = (name: string) => rules.find((candidate) => candidate.Name === name)!;
const [[, distribution]] = ofType('AWS::CloudFront::Distribution') as [[string, CfnResource]];
const config = distribution.Properties.DistributionConfig;
const secretReference = JSON.stringify(stack.resolve(stack.edge.originSecret.secretValue.unsafeUnwrap()));

describe('the edge firewall', () => {
  it('is a CloudFront web ACL on the distribution', () => {
    expect(webAcl.Properties.Scope).toBe('CLOUDFRONT');
    expect(config.WebACLId).toEqual({ 'Fn::GetAtt': [expect.stringContaining('EdgeFirewallWebAcl'), 'Arn'] });
  });

  it('limits each source address and each business widget on the public routes, answering 429 in the API’s error shape', () => {
    const perSource = rule('PublicPerSource');
    expect(perSource.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'IP', Limit: DEFAULT_EDGE_LIMITS.perSource, EvaluationWindowSec: DEFAULT_EDGE_LIMITS.windowSeconds });
    const perWidget = rule('PublicPerBusinessWidget');
    expect(perWidget.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'CUSTOM_KEYS', Limit: DEFAULT_EDGE_LIMITS.perBusinessWidget, CustomKeys: [{ UriPath: expect.anything() }] });
    for (const limited of [perSource, perWidget]) {
      expect(limited.Statement.RateBasedStatement.ScopeDownStatement.ByteMatchStatement).toMatchObject({ SearchString: '/public/', PositionalConstraint: 'STARTS_WITH' });
      expect(limited.Action.Block.CustomResponse).toMatchObject({ ResponseCode: 429, ResponseHeaders: [{ Name: 'Retry-After', Value: String(DEFAULT_EDGE_LIMITS.windowSeconds) }] });
    }
    const body = JSON.parse(webAcl.Properties.CustomResponseBodies.rateLimited.Content);
    expect(body.error.code).toBe('rate_limited');
  });

  it('runs AWS’s managed rule groups for common exploits, known bad inputs and bad-reputation addresses', () => {
    const managed = rules.filter((candidate) => candidate.Statement.ManagedRuleGroupStatement).map((candidate) => candidate.Statement.ManagedRuleGroupStatement.Name);
    expect(managed.sort()).toEqual(['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']);
  });

  it('lives in us-east-1 on its own when the API is in another Region', () => {
    const crossRegion = appLikeCli(SKIP_BUNDLING);
    const firewall = new EdgeFirewallStack(crossRegion, 'Edge', { env: { account: '123456789012', region: 'us-east-1' }, crossRegionReferences: true });
    const api = new MessagesStack(crossRegion, 'Api', { areas: apiAreas, env: { account: '123456789012', region: 'eu-west-1' }, crossRegionReferences: true, webAclArn: firewall.firewall.webAclArn });
    expect(templateOf(api).ofType('AWS::WAFv2::WebACL')).toEqual([]);
    expect(templateOf(firewall).ofType('AWS::WAFv2::WebACL')).toHaveLength(1);
    expect(() => new EdgeFirewallStack(appLikeCli(SKIP_BUNDLING), 'Wrong', { env: { region: 'eu-west-1' } })).toThrow(/us-east-1/);
    expect(Stack.of(firewall).region).toBe('us-east-1');
  });
});

describe('the distribution', () => {
  it('sends every request to the HTTP API over HTTPS with the origin secret, caching nothing', () => {
    const origin = (config.Origins as Record<string, any>[])[0]!;
    expect(origin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    expect(origin.OriginCustomHeaders).toEqual([{ HeaderName: originVerifyHeader, HeaderValue: expect.anything() }]);
    expect(JSON.stringify(origin.OriginCustomHeaders[0].HeaderValue)).toBe(secretReference);
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // Managed-CachingDisabled
      expect(behavior.ViewerProtocolPolicy).toBe('https-only');
    }
  });

  it('forwards the viewer’s address on the public routes, for the functions’ per-sender limit', () => {
    const publicBehavior = (config.CacheBehaviors as Record<string, any>[]).find((behavior) => behavior.PathPattern === '/public/*')!;
    const [[policyId, policy]] = ofType('AWS::CloudFront::OriginRequestPolicy') as [[string, CfnResource]];
    expect(publicBehavior.OriginRequestPolicyId).toEqual({ Ref: policyId });
    expect(policy.Properties.OriginRequestPolicyConfig.HeadersConfig.Headers).toContain('CloudFront-Viewer-Address');
  });
});

describe('the origin secret', () => {
  it('is given to every function that serves a public route, and to no other', () => {
    for (const { area, routes } of apiAreas) {
      const variables = resources[idOf(stack.functions.get(area)!.function)]!.Properties.Environment.Variables;
      if (routes.some((route) => route.auth === 'public')) expect(JSON.stringify(variables.EDGE_ORIGIN_SECRET), area).toBe(secretReference);
      else expect(variables.EDGE_ORIGIN_SECRET, area).toBeUndefined();
    }
  });
});
