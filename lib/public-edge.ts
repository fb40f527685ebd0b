import { Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  OriginProtocolPolicy,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  PriceClass,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';
import { originVerifyHeader } from '#http/edge.ts';

export interface PublicEdgeProps {
  readonly api: HttpApi;
  /** The AWS WAF web ACL (scope CLOUDFRONT, in us-east-1) of lib/edge-firewall.ts. */
  readonly webAclArn: string;
}

/**
 * The API's public address: a CloudFront distribution in front of the HTTP API with AWS WAF on it.
 * Nothing is cached (every answer is per request). CloudFront adds a secret header the functions
 * check on public routes (functions/http/edge.ts), so the execute-api URL cannot be used to go
 * around the firewall's limits; it also forwards the viewer's address, the sender the functions'
 * own per-sender limit counts.
 */
export class PublicEdge extends Construct {
  readonly distribution: Distribution;
  /** The value CloudFront sends in `x-origin-verify`; the functions serving public routes get it as EDGE_ORIGIN_SECRET. */
  readonly originSecret: Secret;

  constructor(scope: Construct, id: string, props: PublicEdgeProps) {
    super(scope, id);
    this.originSecret = new Secret(this, 'OriginSecret', {
      description: 'Sent by CloudFront to the HTTP API on every request; public routes refuse requests without it',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(this.originSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The origin secret is read by CloudFormation into the distribution and the functions when they are deployed: a rotated value would not reach them, so it is generated once and not rotated (said in the README).',
    });

    const origin = new HttpOrigin(Fn.select(2, Fn.split('/', props.api.apiEndpoint)), {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      customHeaders: { [originVerifyHeader]: this.originSecret.secretValue.unsafeUnwrap() },
      readTimeout: Duration.seconds(30),
    });
    // Public widgets send JSON with an Idempotency-Key from a browser: what they need, and the viewer's address.
    const publicRequests = new OriginRequestPolicy(this, 'PublicRequests', {
      comment: 'Public widget routes: the headers the API reads, and the viewer address',
      headerBehavior: OriginRequestHeaderBehavior.allowList(
        'Content-Type',
        'Origin',
        'Accept',
        'Accept-Language',
        'Idempotency-Key',
        'Access-Control-Request-Method',
        'Access-Control-Request-Headers',
        'CloudFront-Viewer-Address',
      ),
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `${Stack.of(this).stackName}: the HTTP API behind AWS WAF`,
      webAclId: props.webAclArn,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        // API Gateway routes on its own Host name, so every viewer header but Host goes on.
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      additionalBehaviors: {
        '/public/*': {
          origin,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: publicRequests,
        },
      },
    });
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'The widgets serve clients of businesses wherever they are; no country is blocked.' },
      {
        id: 'AwsSolutions-CFR3',
        reason: 'Every request that reaches the API is in the HTTP API access logs; requests the edge blocks are counted in the web ACL metrics with sampled requests.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason: 'The distribution uses its default *.cloudfront.net certificate, whose TLS policy CloudFront sets; with a custom domain, set minimumProtocolVersion TLSv1.2_2021.',
      },
    );
  }

  /** The API's public base URL. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}
