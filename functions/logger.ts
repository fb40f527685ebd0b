import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs for every function; POWERTOOLS_LOG_LEVEL sets the level. It stands beside the
 * layers rather than in adapters/: it calls no AWS service (it writes JSON lines to stdout), and
 * every layer but the domain logs, so each imports it directly instead of threading it through deps.
 */
export const logger = new Logger({ serviceName: 'client-messages' });
