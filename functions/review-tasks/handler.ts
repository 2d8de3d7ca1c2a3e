/**
 * The Task states of the legal-review workflow (statemachines/legal-review.asl.json). Step Functions
 * invokes this function with the payload the ASL builds; local mode's runner calls the same handler.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { REVIEW_TASKS } from '#domain/review-workflow.ts';
import type { ReviewTaskPayload } from '#domain/review-workflow.ts';
import { config } from '#domain/config.ts';
import { logFailures, logger } from '#http/logger.ts';
import { runTask } from '#services/reviews.ts';

// At cold start: a bad configuration value fails start-up, naming the variable.
config();

export const handler = middy<ReviewTaskPayload, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logFailures())
  .handler(async (payload) => {
    if (!payload || typeof payload.reviewId !== 'string' || !(REVIEW_TASKS as readonly string[]).includes(payload.task)) {
      throw new Error('InvalidPayload: not a legal-review task payload');
    }
    logger.info('review task', { task: payload.task, step: payload.step, reviewId: payload.reviewId });
    return runTask(payload);
  });
