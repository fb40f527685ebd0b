import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs for every function; POWERTOOLS_LOG_LEVEL sets the level. */
export const logger = new Logger({ serviceName: 'client-messages' });
