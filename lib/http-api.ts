import { Duration, Lazy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod as GatewayMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  type CfnStage,
  type HttpRoute,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { AnyRoute } from '#http/route.ts';
import type { CorsPolicy } from '#http/cors.ts';

/** What the infrastructure needs to know about one route of the catalog. */
export type RouteSpec = Pick<AnyRoute, 'method' | 'path' | 'auth'>;

export interface StageThrottle {
  /** Steady-state requests per second across the whole API. */
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export const DEFAULT_THROTTLE: StageThrottle = { rateLimit: 500, burstLimit: 1_000 };

/**
 * Each route open to anyone (the public widget forms, the API description), counted per route
 * across all tenants: a flood of one form cannot use up the whole API's throttle. It is the last
 * line, set well above what the edge lets one address or one widget send (lib/edge-firewall.ts),
 * so no single sender can reach it; the per-tenant and per-sender counters in the function sit
 * between the two.
 */
export const DEFAULT_PUBLIC_ROUTE_THROTTLE: StageThrottle = { rateLimit: 200, burstLimit: 400 };

export interface TenantHttpApiProps {
  /** Token issuer: https://cognito-idp.<region>.amazonaws.com/<poolId>. */
  readonly jwtIssuer: string;
  /** The SPA's app client: the JWT audience. */
  readonly userPoolClient: UserPoolClient;
  /** The API's CORS policy (`apiCors`); listed origins must be exactly scheme://host[:port]. */
  readonly cors: CorsPolicy;
  /** @default DEFAULT_THROTTLE */
  readonly throttle?: StageThrottle;
  /** Throttle of each public route; at most the stage throttle. @default DEFAULT_PUBLIC_ROUTE_THROTTLE */
  readonly publicRouteThrottle?: StageThrottle;
  /** @default three months */
  readonly accessLogRetention?: RetentionDays;
}

/** One JSON line per request; `$context` variables of HTTP APIs. */
const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
};

/**
 * The HTTP API: Cognito-issued JWTs checked at the edge for tenant routes, CORS for the SPA,
 * JSON access logs, stage-wide throttling and a lower throttle on each public route. Routes are
 * added per Lambda function.
 *
 * API Gateway HTTP APIs accept request bodies up to a fixed 10 MB (not configurable); the tighter
 * cap for public routes (16 KB) is enforced by the function, which refuses a larger body with 413.
 */
export class TenantHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly authorizer: HttpJwtAuthorizer;
  readonly accessLogs: LogGroup;
  readonly publicRouteThrottle: StageThrottle;
  /**
   * The stage's RouteSettings by route key (`POST /public/{slug}/contact`), for the public routes.
   * The property is untyped JSON in CloudFormation, so CDK passes these keys through as written.
   */
  private readonly routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};

  constructor(scope: Construct, id: string, props: TenantHttpApiProps) {
    super(scope, id);

    const { cors } = props;
    if (cors.allowOrigins !== '*') {
      for (const origin of cors.allowOrigins) assertOrigin(origin);
      if (cors.allowOrigins.length === 0) throw new Error('TenantHttpApi: the CORS policy must allow at least one origin');
    }

    this.api = new HttpApi(this, 'Api', {
      apiName: `${Stack.of(this).stackName}-api`,
      description: 'Client messages API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: cors.allowOrigins === '*' ? ['*'] : [...cors.allowOrigins],
        allowMethods: cors.allowMethods.map((method) => CorsHttpMethod[method as keyof typeof CorsHttpMethod]),
        allowHeaders: [...cors.allowHeaders],
        exposeHeaders: [...cors.exposeHeaders],
        allowCredentials: false,
        maxAge: Duration.seconds(cors.maxAgeSeconds),
      },
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.accessLogRetention ?? RetentionDays.THREE_MONTHS });
    const throttle = props.throttle ?? DEFAULT_THROTTLE;
    this.publicRouteThrottle = props.publicRouteThrottle ?? DEFAULT_PUBLIC_ROUTE_THROTTLE;
    if (this.publicRouteThrottle.rateLimit > throttle.rateLimit || this.publicRouteThrottle.burstLimit > throttle.burstLimit) {
      throw new Error('TenantHttpApi: the public route throttle must not exceed the stage throttle');
    }
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: throttle.rateLimit, burstLimit: throttle.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    // The L2 stage has no per-route settings. Filled as routes are added; an empty map is left out.
    (this.stage.node.defaultChild as CfnStage).routeSettings = Lazy.any({
      produce: () => (Object.keys(this.routeSettings).length === 0 ? undefined : this.routeSettings),
    });

    // API Gateway verifies signature, expiry, issuer and audience before any Lambda runs. The
    // audience is the SPA client: the SPA sends the ID token, which carries `custom:tenantId`.
    this.authorizer = new HttpJwtAuthorizer('CognitoJwt', props.jwtIssuer, {
      jwtAudience: [props.userPoolClient.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });
  }

  /** The URL of the default stage. */
  get url(): string {
    return this.api.apiEndpoint;
  }

  /** Routes every given route to `handler`: tenant routes behind the JWT authorizer, public ones open. */
  addFunctionRoutes(id: string, handler: IFunction, routes: readonly RouteSpec[]): HttpRoute[] {
    const integration = new HttpLambdaIntegration(`${id}Integration`, handler);
    const created: HttpRoute[] = [];
    for (const route of routes) {
      const [httpRoute] = this.api.addRoutes({
        path: route.path,
        methods: [GatewayMethod[route.method]],
        integration,
        authorizer: route.auth === 'tenant' ? this.authorizer : new HttpNoneAuthorizer(),
      });
      if (!httpRoute) throw new Error(`TenantHttpApi: no route created for ${route.method} ${route.path}`);
      if (route.auth === 'public') {
        this.routeSettings[`${route.method} ${route.path}`] = {
          ThrottlingRateLimit: this.publicRouteThrottle.rateLimit,
          ThrottlingBurstLimit: this.publicRouteThrottle.burstLimit,
        };
        // API Gateway refuses settings for a route key that does not exist yet.
        this.stage.node.addDependency(httpRoute);
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            `${route.method} ${route.path} is declared auth 'public' in the route catalog: it serves clients of a ` +
            'business (widget forms) or the API description, who have no account. It has its own lower route ' +
            'throttle, and its handler validates every input.',
        });
      }
      created.push(httpRoute);
    }
    return created;
  }
}

/** An origin as CORS and sign-in callbacks compare it: exactly scheme://host[:port]. */
export function assertOrigin(origin: string): void {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new Error(`TenantHttpApi: CORS origin "${origin}" is not a URL`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== origin) {
    throw new Error(`TenantHttpApi: CORS origin "${origin}" must be exactly scheme://host[:port] (got origin ${url.origin})`);
  }
}
