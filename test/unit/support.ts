/** Small helpers shared by unit tests. */
import type { Context } from 'aws-lambda';

/** A Lambda context for invoking a handler in-process (the registry function's, as any would do). */
export const context = {
  functionName: 'registry',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:cn-north-1:000000000000:function:registry',
  memoryLimitInMB: '256',
  awsRequestId: 'aws-req-1',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

/** The error `fn` throws; fails the test if it throws none. */
export function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
