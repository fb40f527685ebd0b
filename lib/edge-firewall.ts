import { Stack, Token, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** Requests the edge lets through per window before it answers 429 (AWS WAF rate-based rules, evaluated per window of `windowSeconds`). */
export interface EdgeLimits {
  /** Public requests one source address may send, across all businesses. */
  readonly perSource: number;
  /** Public requests one widget of one business (one URI path, e.g. `/public/salon-lucia/contact`) may receive, from everyone. */
  readonly perBusinessWidget: number;
  /** 60, 120, 300 or 600 (AWS WAF's evaluation windows). */
  readonly windowSeconds: 60 | 120 | 300 | 600;
}

export const DEFAULT_EDGE_LIMITS: EdgeLimits = { perSource: 100, perBusinessWidget: 1_000, windowSeconds: 300 };

/** What a widget receives when the edge refuses it: the API's own error shape, so the SPA handles both alike. */
const rateLimitedBody = JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests; try again in a few minutes', details: { retryAfterSeconds: 300 } } });

/** Only requests to the public widget routes count towards the rate-based rules. */
const publicRoutes: CfnWebACL.StatementProperty = {
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint: 'STARTS_WITH',
    searchString: '/public/',
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
};

const managed = (name: string, priority: number, overrides: CfnWebACL.RuleActionOverrideProperty[] = []): CfnWebACL.RuleProperty => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ...(overrides.length ? { ruleActionOverrides: overrides } : {}) } },
  visibilityConfig: { sampledRequestsEnabled: true, cloudWatchMetricsEnabled: true, metricName: name },
});

/**
 * The web ACL in front of the API's CloudFront distribution (lib/public-edge.ts): per-source and
 * per-widget rate limits on the public routes, so one address cannot use up another business's
 * widgets (API Gateway's public route throttle is shared by all), and AWS's managed rule groups for
 * common exploits, known bad inputs and addresses with a bad reputation. A web ACL for CloudFront
 * must live in us-east-1: in a stack of that region, or in EdgeFirewallStack.
 */
export class EdgeFirewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, limits: EdgeLimits = DEFAULT_EDGE_LIMITS) {
    super(scope, id);
    const rateRule = (name: string, priority: number, limit: number, keys: Pick<CfnWebACL.RateBasedStatementProperty, 'aggregateKeyType' | 'customKeys'>): CfnWebACL.RuleProperty => ({
      name,
      priority,
      action: {
        block: {
          customResponse: {
            responseCode: 429,
            customResponseBodyKey: 'rateLimited',
            responseHeaders: [{ name: 'Retry-After', value: String(limits.windowSeconds) }],
          },
        },
      },
      statement: { rateBasedStatement: { limit, evaluationWindowSec: limits.windowSeconds, scopeDownStatement: publicRoutes, ...keys } },
      visibilityConfig: { sampledRequestsEnabled: true, cloudWatchMetricsEnabled: true, metricName: name },
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'Client messages API edge: rate limits per source address and per business widget, AWS managed rules',
      defaultAction: { allow: {} },
      customResponseBodies: { rateLimited: { contentType: 'APPLICATION_JSON', content: rateLimitedBody } },
      visibilityConfig: { sampledRequestsEnabled: true, cloudWatchMetricsEnabled: true, metricName: 'client-messages-edge' },
      rules: [
        managed('AWSManagedRulesAmazonIpReputationList', 0),
        rateRule('PublicPerSource', 1, limits.perSource, { aggregateKeyType: 'IP' }),
        rateRule('PublicPerBusinessWidget', 2, limits.perBusinessWidget, {
          aggregateKeyType: 'CUSTOM_KEYS',
          customKeys: [{ uriPath: { textTransformations: [{ priority: 0, type: 'LOWERCASE' }] } }],
        }),
        // Public forms take up to 16 KiB, above the common rule set's 8 KiB body rule: the function enforces its own cap.
        managed('AWSManagedRulesCommonRuleSet', 3, [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }]),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 4),
      ],
    });
  }

  get webAclArn(): string {
    return this.webAcl.attrArn;
  }
}

/** The edge firewall on its own, in us-east-1, for a MessagesStack deployed in another Region (bin/app.ts). */
export class EdgeFirewallStack extends Stack {
  readonly firewall: EdgeFirewall;

  constructor(scope: Construct, id: string, props: StackProps & { readonly limits?: EdgeLimits }) {
    super(scope, id, props);
    if (!Token.isUnresolved(this.region) && this.region !== 'us-east-1') {
      throw new Error(`EdgeFirewallStack: a web ACL for CloudFront must be in us-east-1, not ${this.region}`);
    }
    this.firewall = new EdgeFirewall(this, 'Firewall', props.limits);
  }
}
