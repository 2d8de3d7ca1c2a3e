/** One structured logger per process. Never log bodies, tokens or personal data. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'three-systems',
  logLevel: (process.env.LOG_LEVEL as 'INFO' | 'DEBUG' | 'WARN' | 'ERROR' | undefined) ?? (process.env.LOCAL_MODE === 'true' ? 'WARN' : 'INFO'),
});
