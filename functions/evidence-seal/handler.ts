/**
 * Object-created events on the evidence bucket: verify each object's SHA-256 by streaming it, then
 * seal or reject it (R6, R7). In AWS they arrive through EventBridge (`Object Created`, the bucket's
 * EventBridge notifications); local mode delivers s3rver's events in the S3 notification shape
 * (`Records`). Both lead to the same `verifyAndSeal`. The same function runs the scheduled job that
 * aborts uploads left unfinished for 24 hours (shared/schedules.ts).
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { config } from '#domain/config.ts';
import { logFailures, logger } from '#http/logger.ts';
import { abortAbandonedUploads, verifyAndSeal } from '#services/evidence.ts';
import { isScheduledEvent } from '../../shared/schedules.ts';
import type { ScheduledEvent } from '../../shared/schedules.ts';

interface S3NotificationEvent {
  readonly Records: readonly { readonly eventName?: string; readonly s3: { readonly object: { readonly key: string } } }[];
}
interface EventBridgeS3Event {
  readonly source: 'aws.s3';
  readonly 'detail-type': string;
  readonly detail: { readonly object: { readonly key: string } };
}
type SealEvent = S3NotificationEvent | EventBridgeS3Event | ScheduledEvent;

/** Object keys of the events: S3 notifications URL-encode them (`+` for spaces), EventBridge does not. */
export function createdKeys(event: S3NotificationEvent | EventBridgeS3Event): string[] {
  if ('Records' in event && Array.isArray(event.Records)) {
    return event.Records.filter((r) => r.eventName?.startsWith('ObjectCreated:')).map((r) => decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')));
  }
  if ('detail-type' in event && event['detail-type'] === 'Object Created' && typeof event.detail?.object?.key === 'string') {
    return [event.detail.object.key];
  }
  return [];
}

type SealResult = { results: { outcome: string; evidenceId?: string }[] } | { aborted: string[]; verified: string[] };

// At cold start: a bad configuration value fails start-up, naming the variable.
config();

export const handler = middy<SealEvent, SealResult, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logFailures())
  .handler(async (event) => {
    if (isScheduledEvent(event)) {
      if (event.job !== 'abort-abandoned-uploads') throw new Error(`Unknown job ${String(event.job)}`);
      const { aborted, verified } = await abortAbandonedUploads(new Date());
      logger.info('abandoned uploads', { aborted: aborted.length, verified: verified.length });
      return { aborted: aborted.map((e) => e.id), verified };
    }
    const results = [];
    for (const key of createdKeys(event)) {
      const result = await verifyAndSeal(key);
      // Ids and outcomes only: no names, places or hashes in the logs.
      logger.info('evidence object', { evidenceId: result.evidenceId, outcome: result.outcome });
      results.push(result);
    }
    return { results };
  });
