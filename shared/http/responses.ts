/** Responses: JSON with security headers; errors as {"error":{code,message,details}}. */
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { AppError } from '../domain/errors.ts';
import { sourceStack } from './stack-trace.ts';

const BASE_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'x-content-type-options': 'nosniff',
  'access-control-allow-origin': '*',
};

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: { ...BASE_HEADERS, ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

/** One mapping from errors to HTTP: domain errors carry their status; anything else is a 500 without details. */
export function errorResponse(err: unknown, logger: Logger): APIGatewayProxyResult {
  if (err instanceof AppError) {
    if (err.status >= 500) logger.error('request failed', { code: err.code });
    return jsonResponse(err.status, {
      error: { code: err.code, message: err.message, ...(err.details.length ? { details: err.details } : {}) },
    }, { 'cache-control': 'no-store' });
  }
  // Log the error's name and message only: never request bodies (they may hold personal data).
  const e = err instanceof Error ? { name: err.name, message: err.message, stack: sourceStack(err) } : { value: String(err) };
  logger.error('unhandled error', { error: e });
  return jsonResponse(500, { error: { code: 'INTERNAL', message: '服务器内部错误，请稍后重试' } }, { 'cache-control': 'no-store' });
}
