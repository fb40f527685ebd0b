/**
 * The environment the handlers see in local mode. Set it before importing any handler module: the
 * AWS SDK reads AWS_ENDPOINT_URL_DYNAMODB and the handlers read TABLE_NAME when their clients are
 * built.
 */
export const LOCAL_TABLE_NAME = 'client-messages';
export const LOCAL_REGION = 'us-east-1';

export interface LocalEnvOptions {
  readonly dynamodbEndpoint: string;
  readonly tableName?: string;
}

export function applyLocalEnv(options: LocalEnvOptions, env: NodeJS.ProcessEnv = process.env): void {
  // Never let local mode pick up a developer's real AWS identity: dummy credentials, no profile.
  delete env['AWS_PROFILE'];
  delete env['AWS_DEFAULT_PROFILE'];
  delete env['AWS_SESSION_TOKEN'];
  delete env['AWS_ROLE_ARN'];
  delete env['AWS_WEB_IDENTITY_TOKEN_FILE'];
  env['AWS_REGION'] = LOCAL_REGION;
  env['AWS_DEFAULT_REGION'] = LOCAL_REGION;
  env['AWS_ACCESS_KEY_ID'] = 'local';
  env['AWS_SECRET_ACCESS_KEY'] = 'local';
  env['AWS_ENDPOINT_URL_DYNAMODB'] = options.dynamodbEndpoint;
  env['TABLE_NAME'] = options.tableName ?? LOCAL_TABLE_NAME;
}
