/** One structured logger per process. Never log bodies, tokens or personal data. */
import { Logger } from '@aws-lambda-powertools/logger';
import { sourceStack } from './stack-trace.ts';

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'three-systems',
  logLevel: (process.env.LOG_LEVEL as 'INFO' | 'DEBUG' | 'WARN' | 'ERROR' | undefined) ?? (process.env.LOCAL_MODE === 'true' ? 'WARN' : 'INFO'),
});

/**
 * middy middleware for the functions that are not HTTP (jobs, workflow tasks, object events): logs an
 * invocation's error with its stack in the TypeScript sources (stack-trace.ts), then lets it fail the
 * invocation as before (Lambda's retries and dead-letter queues see it).
 */
export const logFailures = () => ({
  onError: async (request: { error: unknown }): Promise<void> => {
    const err = request.error;
    logger.error('invocation failed', { error: err instanceof Error ? { name: err.name, message: err.message, stack: sourceStack(err) } : { value: String(err) } });
  },
});
