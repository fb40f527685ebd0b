import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal, type IGrantable, type IPrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root: bundling resolves `#…` subpath imports and the lock file from here. */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * ESM bundles still contain CommonJS dependencies that call `require`; give them one. The alias
 * avoids clashing with a `createRequire` binding inside the bundle.
 */
const REQUIRE_SHIM =
  "import { createRequire as __cmCreateRequire } from 'node:module'; const require = __cmCreateRequire(import.meta.url);";

/**
 * How every function is bundled: one minified ESM file with the AWS SDK inside (the function runs
 * the exact versions the tests ran against), and a source map beside it (index.mjs.map, linked by a
 * comment) without the sources' text. bench/function-bundles.ts bundles its baselines the same way.
 */
export const FUNCTION_BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  banner: REQUIRE_SHIM,
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  externalModules: [],
  forceDockerBundling: false,
} as const satisfies BundlingOptions;

/** Actions that, besides X-Ray, a function's role must allow on Resource "*", and why. */
export interface AnyResourceGrant {
  readonly actions: readonly string[];
  /** Why these actions cannot name a resource ARN; it becomes part of the cdk-nag acknowledgement. */
  readonly why: string;
}

/** The actions Tracing.ACTIVE allows on Resource "*". */
export const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] as const;

export interface MessagesFunctionProps {
  /** Absolute path of the TypeScript module exporting `handler`. */
  readonly entry: string;
  readonly description?: string;
  /** Name of the records table, passed as TABLE_NAME. */
  readonly tableName: string;
  /** Extra environment variables. */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 10 seconds (API Gateway gives up at 30) */
  readonly timeout?: Duration;
  /** @default one month */
  readonly logRetention?: RetentionDays;
  /**
   * Actions other than X-Ray that the role will allow on Resource "*" (added by the caller or by an
   * event source). They are named in the role's acknowledgement of AwsSolutions-IAM5, so that
   * acknowledgement covers exactly what is reviewed. @default none
   */
  readonly anyResourceGrants?: readonly AnyResourceGrant[];
  /**
   * For a function invoked asynchronously (an EventBridge target): Lambda retries a failed
   * invocation `retryAttempts` times (0-2), then puts the event in `deadLetterQueue`; the role may
   * send to that queue. @default none: the function is not invoked asynchronously
   */
  readonly asyncFailures?: { readonly deadLetterQueue: IQueue; readonly retryAttempts: number };
}

/**
 * The one base construct for every Lambda function of this project (API areas, rule evaluator,
 * message delivery): Node 24 on ARM64, an esbuild ESM bundle (no Docker) with
 * source maps, JSON logs into its own log group with a retention, X-Ray tracing, and its own role
 * that starts with nothing but permission to write its logs; callers grant the rest.
 */
export class MessagesFunction extends Construct implements IGrantable {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly grantPrincipal: IPrincipal;
  /** Every action the role may allow on Resource "*": X-Ray plus `anyResourceGrants`. */
  readonly anyResourceActions: readonly string[];
  /** The module bundled, relative to the project root (`functions/api/bookings.ts`): what its bundle budget is named by. */
  readonly entry: string;

  constructor(scope: Construct, id: string, props: MessagesFunctionProps) {
    super(scope, id);
    this.entry = path.relative(projectRoot, props.entry);

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH });

    // An explicit role instead of the default one, which carries the AWS managed policy
    // AWSLambdaBasicExecutionRole (logs:* on every log group in the account).
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.grantPrincipal = this.role;
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.ACTIVE,
      ...props.asyncFailures,
      environment: {
        TABLE_NAME: props.tableName,
        NODE_OPTIONS: '--enable-source-maps',
        // The stack name: the custom metrics' `service` dimension, so two stages' metrics never mix.
        POWERTOOLS_SERVICE_NAME: Stack.of(this).stackName,
        ...props.environment,
      },
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      bundling: FUNCTION_BUNDLING,
    });

    const extra = props.anyResourceGrants ?? [];
    this.anyResourceActions = [...XRAY_ACTIONS, ...extra.flatMap((grant) => grant.actions)];
    const reason =
      extra.length === 0
        ? 'Only the X-Ray statement that Tracing.ACTIVE adds uses Resource "*": xray:PutTraceSegments and ' +
          'xray:PutTelemetryRecords support no resource-level permissions. Table and log permissions name their ARNs.'
        : 'Resource "*" appears only in: the X-Ray statement that Tracing.ACTIVE adds (xray:PutTraceSegments and ' +
          'xray:PutTelemetryRecords support no resource-level permissions); ' +
          extra.map((grant) => `${grant.actions.join(', ')}: ${grant.why}`).join('; ') +
          '. Every other permission names its ARNs.';
    Validations.of(this.role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason });
  }
}
